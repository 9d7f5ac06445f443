Feature: Schedules
  A workflow's schedule starts executions without a client call (every, cron, after, on; see the
  e2e suite services/wormhole/src/schedule.e2e.test.ts, which waits for ticks). These scenarios
  pin what the runner can see at once: a scheduled workflow is accepted and still runs on demand,
  and a schedule Wormhole cannot run is refused where it is written.

  Scenario: a workflow with a cron schedule is accepted and also runs when executed
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: nightly, version: '1.0.0'}
      schedule:
        cron: 0 3 1 1 *
      do:
        - stamp:
            set:
              ran: ${ .reason }
      """
    And the workflow input is:
      """yaml
      reason: on demand
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      ran: on demand
      """

  Scenario: an invalid cron expression is refused when the workflow is created
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: bad-cron, version: '1.0.0'}
      schedule:
        cron: 61 * * * *
      do:
        - stamp:
            set:
              ran: true
      """
    When the workflow is executed
    Then the workflow definition should be rejected with:
      """yaml
      error: VALIDATION_ERROR
      details:
        - path: /schedule/cron
      """
