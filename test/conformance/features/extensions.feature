Feature: Extensions
  `use.extensions` runs `before` tasks ahead of each task of the extended type and `after` tasks
  once it completed: the `before` output is the task's input, the `after` output its raw output
  (before `output.as`), and `then: exit` in a `before` list bypasses the task.

  Scenario: An extension calls a service before each call and reshapes its result after it
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: extension-audit, version: '1.0.0'}
      use:
        extensions:
          - audit:
              extend: call
              before:
                - announce:
                    call: http
                    with:
                      method: post
                      endpoint: https://httpbin.org/post
                      body:
                        message: '${ "calling " + $task.reference }'
                    output:
                      as: '${ $input + { announced: .json.message } }'
              after:
                - stamp:
                    set:
                      echoed: ${ .json }
                      audited: true
      do:
        - echo:
            call: http
            with:
              method: post
              endpoint: https://httpbin.org/anything/echo
              body: ${ . }
            output:
              as: '${ .echoed + { audited: .audited } }'
      """
    And the workflow input is:
      """yaml
      order: 7
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      order: 7
      announced: calling /do/0/echo
      audited: true
      """
    And announce should run after echo
    And stamp should run after announce

  Scenario: A before task that exits mocks the call it extends (the spec's mock example)
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: extension-mock, version: '1.0.0'}
      use:
        extensions:
          - mockService:
              extend: call
              when: ${ $task.definition.with.endpoint | (if type == "object" then .uri else . end) | startswith("https://mocked.service.com") }
              before:
                - mockResponse:
                    set:
                      foo:
                        bar: baz
                    then: exit
      do:
        - callMocked:
            call: http
            with:
              method: get
              endpoint:
                uri: https://mocked.service.com/sample
        - callReal:
            call: http
            with:
              method: get
              endpoint: https://httpbin.org/get
            output:
              as: '${ { mocked: $input.foo.bar, real: .method } }'
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      mocked: baz
      real: GET
      """
    And mockResponse should run after callMocked
    And callReal should run after mockResponse
