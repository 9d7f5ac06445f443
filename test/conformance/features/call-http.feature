Feature: call http
  HTTP calls through the executor, against local stand-ins for the petstore and httpbin.

  Scenario: URI template variables come from the task input and the JSON answer is the output
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: http-get, version: '1.0.0'}
      do:
        - getPet:
            call: http
            with:
              method: get
              endpoint:
                uri: https://petstore.swagger.io/v2/pet/{petId}
            output:
              as: '${ {name, status} }'
      """
    And the workflow input is:
      """yaml
      petId: 2
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      name: Milou
      status: available
      """

  Scenario: output response describes the request and the response
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: http-response, version: '1.0.0'}
      do:
        - find:
            call: http
            with:
              method: get
              endpoint: https://petstore.swagger.io/v2/pet/findByStatus
              query:
                status: ${ .wanted }
              output: response
      """
    And the workflow input is:
      """yaml
      wanted: sold
      """
    When the workflow is executed
    Then the workflow should complete
    And the workflow output should have properties 'request.method', 'request.uri', 'request.headers', 'headers', 'statusCode', 'content'
    And the workflow output should have a 'statusCode' property with value:
      """yaml
      200
      """
    And the workflow output should have a 'content' property containing 1 items

  Scenario: headers, query and a JSON body are sent as given
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: http-post, version: '1.0.0'}
      do:
        - send:
            call: http
            with:
              method: post
              endpoint: https://httpbin.org/post
              headers:
                x-order: ${ .order }
              query:
                dry: 'true'
              body:
                order: ${ .order }
                lines: 2
            output:
              as: '${ {sent: .json, dry: .args.dry, header: .headers["x-order"]} }'
      """
    And the workflow input is:
      """yaml
      order: A-17
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      sent: {order: A-17, lines: 2}
      dry: 'true'
      header: A-17
      """

  Scenario: basic and bearer authentication send the credentials
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: http-auth, version: '1.0.0'}
      do:
        - basic:
            call: http
            with:
              method: get
              endpoint:
                uri: https://httpbin.org/basic-auth/ada/s3cret
                authentication:
                  basic:
                    username: ada
                    password: ${ .password }
            export:
              as: '${ {basicUser: .user} }'
        - bearer:
            call: http
            with:
              method: get
              endpoint:
                uri: https://httpbin.org/bearer
                authentication:
                  bearer:
                    token: ${ $workflow.input.token }
            output:
              as: '${ {basicUser: $context.basicUser, token: .token} }'
      """
    And the workflow input is:
      """yaml
      password: s3cret
      token: t-42
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      basicUser: ada
      token: t-42
      """

  Scenario: a 404 answer raises a communication error with the status
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: http-404, version: '1.0.0'}
      do:
        - getPet:
            call: http
            with:
              method: get
              endpoint: https://petstore.swagger.io/v2/pet/999
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/communication
      status: 404
      instance: /do/0/getPet
      """

  Scenario: redirect true follows a redirection, and without it a 3xx answer is an error
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: http-redirect, version: '1.0.0'}
      do:
        - follow:
            call: http
            with:
              method: get
              endpoint: https://httpbin.org/redirect-to?url=/get
              redirect: true
            export:
              as: '${ {followedTo: .url} }'
        - stay:
            try:
              - fetch:
                  call: http
                  with:
                    method: get
                    endpoint: https://httpbin.org/redirect-to?url=/get
            catch:
              as: e
              do:
                - note:
                    set:
                      followedTo: ${ $context.followedTo }
                      unfollowed: ${ $e.status }
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      followedTo: /get
      unfollowed: 302
      """

  Scenario: a call names an authentication policy declared under use.authentications
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: http-auth-by-name, version: '1.0.0'}
      use:
        authentications:
          members:
            basic:
              username: ${ .user }
              password: ${ .password }
      do:
        - login:
            call: http
            with:
              method: get
              endpoint:
                uri: https://httpbin.org/basic-auth/{user}/{password}
                authentication:
                  use: members
      """
    And the workflow input is:
      """yaml
      user: ada
      password: lovelace
      """
    When the workflow is executed
    Then the workflow should complete

  Scenario: oauth2, oidc and digest authentication get their credentials from the server
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: http-auth-token-digest, version: '1.0.0'}
      use:
        authentications:
          shop:
            oauth2:
              authority: https://auth.example/realms/shop
              grant: client_credentials
              client: {id: shop, secret: s3cret}
              scopes: [api]
      do:
        - withOAuth2:
            call: http
            with:
              method: get
              endpoint:
                uri: https://httpbin.org/bearer
                authentication:
                  use: shop
            output:
              as: '${ {oauth2: .authenticated} }'
        - withOidc:
            call: http
            with:
              method: get
              endpoint:
                uri: https://httpbin.org/bearer
                authentication:
                  oidc:
                    authority: https://auth.example/realms/shop
                    grant: client_credentials
                    client: {id: shop, secret: s3cret}
            output:
              as: '${ $input + {oidc: .authenticated} }'
        - withDigest:
            call: http
            with:
              method: get
              endpoint:
                uri: https://httpbin.org/digest-auth/auth/ada/lovelace/SHA-256
                authentication:
                  digest: {username: ada, password: lovelace}
            output:
              as: '${ $input + {digest: .authenticated} }'
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      oauth2: true
      oidc: true
      digest: true
      """
