Feature: emit, wait and timeouts

  Scenario: emit outputs the CloudEvent it emitted
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: emit, version: '1.0.0'}
      do:
        - announce:
            emit:
              event:
                with:
                  source: https://shop.example/orders
                  type: com.example.order.placed.v1
                  data:
                    order: ${ .order }
      """
    And the workflow input is:
      """yaml
      order: A-17
      """
    When the workflow is executed
    Then the workflow should complete
    And the workflow output should have properties 'id', 'specversion', 'time', 'source', 'type', 'data'
    And the workflow output should have a 'data' property with value:
      """yaml
      order: A-17
      """

  Scenario: wait pauses and the task passes its input on
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: wait, version: '1.0.0'}
      do:
        - pause:
            wait: PT0.05S
        - resume:
            set:
              resumed: ${ .ticket }
      """
    And the workflow input is:
      """yaml
      ticket: 9
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      resumed: 9
      """

  Scenario: a task that outlives its timeout faults with a timeout error
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: task-timeout, version: '1.0.0'}
      do:
        - slow:
            wait: {seconds: 5}
            timeout:
              after: {milliseconds: 100}
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/timeout
      status: 408
      instance: /do/0/slow
      """

  Scenario: the workflow's own timeout ends a run that takes too long
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: workflow-timeout, version: '1.0.0'}
      timeout:
        after: {milliseconds: 100}
      do:
        - slow:
            wait: {seconds: 5}
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/timeout
      status: 408
      """

  Scenario: a task's timeout can name one declared under use.timeouts
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: reusable-timeout, version: '1.0.0'}
      use:
        timeouts:
          brief:
            after: {milliseconds: 100}
      do:
        - slow:
            wait: {seconds: 5}
            timeout: brief
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/timeout
      status: 408
      instance: /do/0/slow
      """
