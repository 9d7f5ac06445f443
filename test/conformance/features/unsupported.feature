@unsupported
Feature: Constructs Wormhole does not run
  A definition may use them (it validates), but a run that reaches one faults with the error a
  user sees, which these scenarios pin down.

  Scenario: run container faults with a configuration error naming the task kind
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: run-container, version: '1.0.0'}
      do:
        - build:
            run:
              container:
                image: alpine:3
                command: echo hello
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/configuration
      status: 400
      title: Unsupported task
      detail: tasks of kind 'run:container' are not supported by Wormhole
      instance: /do/0/build
      """

  Scenario: call a2a faults with a configuration error naming the task kind
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: call-a2a, version: '1.0.0'}
      do:
        - ask:
            call: a2a
            with:
              method: message/send
              agentCard: {endpoint: https://agents.example/card.json}
              parameters:
                message: {role: user, messageId: m-1, parts: [ {kind: text, text: hello} ]}
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/configuration
      status: 400
      detail: tasks of kind 'call:a2a' are not supported by Wormhole
      instance: /do/0/ask
      """

  Scenario: call mcp faults with a configuration error naming the task kind
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: call-mcp, version: '1.0.0'}
      do:
        - tool:
            call: mcp
            with:
              method: tools/call
              parameters: {name: lookup, arguments: {q: pens}}
              transport:
                http:
                  endpoint: https://tools.example/mcp
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/configuration
      status: 400
      detail: tasks of kind 'call:mcp' are not supported by Wormhole
      instance: /do/0/tool
      """

  Scenario: certificate authentication is refused when the workflow is created
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: auth-certificate, version: '1.0.0'}
      do:
        - fetch:
            call: http
            with:
              method: get
              endpoint:
                uri: https://httpbin.org/get
                authentication:
                  certificate: {}
      """
    When the workflow is executed
    Then the workflow definition should be rejected with:
      """yaml
      error: VALIDATION_ERROR
      message: "invalid workflow definition: /do/0/fetch/with/endpoint/authentication must have one of the properties: use, basic, bearer, digest, oauth2, oidc"
      """

  Scenario: an expression language other than jq is refused when the workflow is created
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: evaluate-javascript, version: '1.0.0'}
      evaluate:
        language: javascript
        mode: strict
      do:
        - compute:
            set:
              total: ${ input.a + input.b }
      """
    When the workflow is executed
    Then the workflow definition should be rejected with:
      """yaml
      error: VALIDATION_ERROR
      details:
        - path: /evaluate/language
          message: expression language "javascript" is not supported; Wormhole evaluates jq
      """

  Scenario: loose evaluation is refused when the workflow is created
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: evaluate-loose, version: '1.0.0'}
      evaluate:
        language: jq
        mode: loose
      do:
        - compute:
            set:
              total: .a + .b
      """
    When the workflow is executed
    Then the workflow definition should be rejected with:
      """yaml
      error: VALIDATION_ERROR
      details:
        - path: /evaluate/mode
      """

  Scenario: schedule.on.all without a filter is refused when the workflow is created
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: schedule-on-all-empty, version: '1.0.0'}
      schedule:
        on:
          all: []
      do:
        - ship:
            set:
              shipped: true
      """
    When the workflow is executed
    Then the workflow definition should be rejected with:
      """yaml
      error: VALIDATION_ERROR
      details:
        - path: /schedule/on/all
          message: must list at least one event filter
      """

  Scenario: call grpc faults with a configuration error saying Wormhole does not support it
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: call-grpc, version: '1.0.0'}
      do:
        - greet:
            call: grpc
            with:
              proto:
                endpoint: https://example.com/greet.proto
              service:
                name: GreeterApi.Greeter
                host: greeter
                port: 50051
              method: SayHello
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/configuration
      status: 400
      detail: tasks of kind 'call:grpc' are not supported by Wormhole
      instance: /do/0/greet
      """

  Scenario: run shell is off unless an operator enables it, and the error says how
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: run-shell-off, version: '1.0.0'}
      do:
        - greet:
            run:
              shell:
                command: echo hello
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/configuration
      status: 400
      detail: tasks of kind 'run:shell' are disabled on this installation; an operator can enable them with RUN_SHELL_ENABLED=true
      instance: /do/0/greet
      """

  Scenario: the OAuth2 authorization_code grant faults the call with a configuration error
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: auth-oauth2-code, version: '1.0.0'}
      do:
        - fetch:
            call: http
            with:
              method: get
              endpoint:
                uri: https://httpbin.org/get
                authentication:
                  oauth2:
                    authority: https://auth.example/realms/shop
                    grant: authorization_code
                    client: {id: shop, secret: s3cret}
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/configuration
      status: 400
      detail: "authentication.oauth2.grant 'authorization_code' is not supported (client_credentials, password, urn:ietf:params:oauth:grant-type:token-exchange)"
      instance: /do/0/fetch
      """
