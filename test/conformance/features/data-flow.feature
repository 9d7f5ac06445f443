Feature: Data flow between tasks
  Wormhole transforms each task's input and output and the workflow context as the DSL says.

  Scenario: A task sees only what input.from selects
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: input-from, version: '1.0.0'}
      do:
        - pickOrder:
            input:
              from: .order
            set:
              reference: ${ .id }
              lines: ${ .lines | length }
      """
    And the workflow input is:
      """yaml
      customer: Ada
      order:
        id: A-17
        lines: [ {sku: pen}, {sku: ink} ]
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      reference: A-17
      lines: 2
      """

  Scenario: output.as reshapes a task's result and the next task receives it
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: output-as, version: '1.0.0'}
      do:
        - measure:
            set:
              width: 3
              height: 4
            output:
              as: ${ .width * .height }
        - describe:
            set:
              area: ${ . }
              doubled: ${ . * 2 }
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      area: 12
      doubled: 24
      """

  Scenario: export.as writes the context that later tasks read
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: export-as, version: '1.0.0'}
      do:
        - remember:
            set:
              token: abc
            export:
              as: '${ {token: .token} }'
        - forget:
            set:
              unrelated: true
        - recall:
            set:
              fromContext: ${ $context.token }
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      fromContext: abc
      """

  Scenario: The workflow's own input.from and output.as apply around all its tasks
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: workflow-io, version: '1.0.0'}
      input:
        from: .payload
      output:
        as: .result
      do:
        - compute:
            set:
              result: ${ .a + .b }
              scratch: true
      """
    And the workflow input is:
      """yaml
      payload: {a: 2, b: 40}
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      42
      """

  Scenario: $input, $workflow and $task are available to expressions
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: runtime-arguments, version: '1.0.0'}
      do:
        - first:
            set:
              step: one
        - second:
            set:
              previous: ${ $input.step }
              original: ${ $workflow.input.seed }
              me: ${ $task.name }
      """
    And the workflow input is:
      """yaml
      seed: 7
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      previous: one
      original: 7
      me: second
      """

  Scenario: An input that fails the workflow's input schema is refused with a validation error
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: input-schema, version: '1.0.0'}
      input:
        schema:
          format: json
          document:
            type: object
            required: [quantity]
            properties:
              quantity: {type: integer, minimum: 1}
      do:
        - accept:
            set:
              ok: true
      """
    And the workflow input is:
      """yaml
      quantity: 0
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/validation
      status: 400
      """
