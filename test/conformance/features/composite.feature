Feature: Composite tasks
  `do`, `for` and `fork` run their subtasks and hand their results on.

  Scenario: A nested do runs its tasks in order and outputs the last one's result
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: nested-do, version: '1.0.0'}
      do:
        - prepare:
            do:
              - weigh:
                  set:
                    grams: 1200
              - convert:
                  set:
                    kilograms: ${ .grams / 1000 }
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      kilograms: 1.2
      """

  Scenario: for iterates a collection with a named item and index
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: for-each, version: '1.0.0'}
      do:
        - total:
            for:
              each: line
              in: ${ .lines }
              at: position
            do:
              - add:
                  set:
                    sum: ${ (.sum // 0) + $line.qty }
                    seen: ${ (.seen // []) + [ $position ] }
      """
    And the workflow input is:
      """yaml
      lines: [ {qty: 2}, {qty: 5}, {qty: 1} ]
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      sum: 8
      seen: [ 0, 1, 2 ]
      """

  Scenario: for stops as soon as while is false
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: for-while, version: '1.0.0'}
      do:
        - fill:
            for:
              each: parcel
              in: ${ .parcels }
            while: ${ (.load // 0) < 10 }
            do:
              - load:
                  set:
                    load: ${ (.load // 0) + $parcel }
      """
    And the workflow input is:
      """yaml
      parcels: [ 4, 4, 4, 4 ]
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      load: 12
      """

  Scenario: fork runs every branch and outputs their results in declaration order
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: fork-all, version: '1.0.0'}
      do:
        - quote:
            fork:
              branches:
                - fast:
                    set:
                      carrier: fast
                - cheap:
                    set:
                      carrier: cheap
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      - carrier: fast
      - carrier: cheap
      """

  Scenario: a competing fork keeps only the first branch to finish
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: fork-compete, version: '1.0.0'}
      do:
        - race:
            fork:
              compete: true
              branches:
                - slow:
                    do:
                      - nap:
                          wait: {milliseconds: 400}
                      - done:
                          set:
                            winners: [ slow ]
                - quick:
                    set:
                      winners: [ quick ]
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      winners: [ quick ]
      """
