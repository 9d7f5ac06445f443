Feature: Flow directives and branching
  Tasks run in document order unless `then` or a `switch` says otherwise.

  Scenario: Tasks run in the order they are listed
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: sequence, version: '1.0.0'}
      do:
        - one:
            set:
              trail: ${ [ "one" ] }
        - two:
            set:
              trail: ${ .trail + [ "two" ] }
        - three:
            set:
              trail: ${ .trail + [ "three" ] }
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      trail: [ one, two, three ]
      """
    And one should run first
    And two should run after one
    And three should run after two

  Scenario: then jumps forward and backward, and end stops the list
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: jumps, version: '1.0.0'}
      do:
        - start:
            set:
              trail: ${ [ "start" ] }
            then: finish
        - skipped:
            set:
              trail: ${ .trail + [ "skipped" ] }
        - middle:
            set:
              trail: ${ .trail + [ "middle" ] }
            then: end
        - finish:
            set:
              trail: ${ .trail + [ "finish" ] }
            then: middle
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      trail: [ start, finish, middle ]
      """
    And skipped should not run
    And middle should run last

  Scenario: exit leaves the enclosing do and the outer list carries on
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: exit-directive, version: '1.0.0'}
      do:
        - inner:
            do:
              - first:
                  set:
                    trail: ${ [ "first" ] }
                  then: exit
              - never:
                  set:
                    trail: ${ .trail + [ "never" ] }
        - after:
            set:
              trail: ${ .trail + [ "after" ] }
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      trail: [ first, after ]
      """
    And never should not run

  Scenario: switch takes the first case whose condition holds
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: switch-first-match, version: '1.0.0'}
      do:
        - triage:
            switch:
              - urgent:
                  when: ${ .priority > 8 }
                  then: page
              - soon:
                  when: ${ .priority > 3 }
                  then: ticket
              - otherwise:
                  then: ignore
        - page:
            set:
              action: page
            then: end
        - ticket:
            set:
              action: ticket
            then: end
        - ignore:
            set:
              action: ignore
      """
    And the workflow input is:
      """yaml
      priority: 9
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      action: page
      """
    And triage should run first
    And page should run last

  Scenario: switch falls through to its default case
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: switch-default, version: '1.0.0'}
      do:
        - triage:
            switch:
              - urgent:
                  when: ${ .priority > 8 }
                  then: page
              - otherwise:
                  then: ignore
        - page:
            set:
              action: page
            then: end
        - ignore:
            set:
              action: ignore
      """
    And the workflow input is:
      """yaml
      priority: 1
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      action: ignore
      """
    And page should not run

  Scenario: A task whose if is false is skipped and its input passes on
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: conditional-task, version: '1.0.0'}
      do:
        - discount:
            if: ${ .member }
            set:
              member: true
              price: ${ .price * 0.5 }
        - done:
            set:
              price: ${ .price }
      """
    And the workflow input is:
      """yaml
      member: false
      price: 10
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      price: 10
      """
    And discount should not run
