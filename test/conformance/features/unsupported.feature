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
      detail: no executor is configured for tasks of kind 'run:container'
      instance: /do/0/build
      """
