Feature: use.functions
  Custom functions declared in use.functions and called by name, with their input.

  Scenario: a function wraps an HTTP call and the caller's `with` becomes its arguments
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: functions, version: '1.0.0'}
      use:
        functions:
          getPet:
            call: http
            with:
              method: get
              endpoint:
                uri: https://petstore.swagger.io/v2/pet/{petId}
      do:
        - fetch:
            call: getPet
            with:
              petId: ${ .petId }
            output:
              as: '${ {name} }'
      """
    And the workflow input is:
      """yaml
      petId: 2
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      name: Milou
      """

  Scenario: calling an undeclared function is a configuration error
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: no-function, version: '1.0.0'}
      do:
        - fetch:
            call: nowhere
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/configuration
      """
