Feature: run workflow
  A task that runs another workflow of the tenant as a child execution, found by namespace, name
  and version.

  Scenario: an awaited subflow's output is the task's output
    Given a subflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: price-child, version: '1.0.0'}
      do:
        - price:
            set:
              total: ${ .qty * 7 }
      """
    And a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: price-parent, version: '1.0.0'}
      do:
        - child:
            run:
              workflow:
                namespace: conformance
                name: price-child
                version: '1.0.0'
                input:
                  qty: ${ .qty }
        - label:
            set:
              label: ${ "total " + (.total | tostring) }
      """
    And the workflow input is:
      """yaml
      qty: 3
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      label: total 21
      """
    And label should run after child

  Scenario: a subflow's fault is the task's error, which try catches
    Given a subflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: failing-child, version: '1.0.0'}
      do:
        - fail:
            raise:
              error:
                type: https://example.com/errors/out-of-stock
                status: 409
                title: Out of stock
      """
    And a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: catching-parent, version: '1.0.0'}
      do:
        - guarded:
            try:
              - child:
                  run:
                    workflow:
                      namespace: conformance
                      name: failing-child
                      version: '1.0.0'
            catch:
              as: problem
              do:
                - handle:
                    set:
                      caught: ${ $problem.title }
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      caught: Out of stock
      """

  Scenario: an unknown subflow is a configuration error
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: orphan-parent, version: '1.0.0'}
      do:
        - child:
            run:
              workflow:
                namespace: conformance
                name: no-such-child
                version: '1.0.0'
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/configuration
      """
