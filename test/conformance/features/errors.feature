Feature: Raising and catching errors
  `raise` faults with a DSL error; `try`/`catch` handles errors by type, status and condition,
  and retries.

  Scenario: raise faults the workflow with the error it describes
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: raise-inline, version: '1.0.0'}
      do:
        - check:
            raise:
              error:
                type: https://serverlessworkflow.io/spec/1.0.0/errors/validation
                status: 422
                title: Out of stock
                detail: ${ "sku " + .sku + " is not available" }
      """
    And the workflow input is:
      """yaml
      sku: pen-1
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/validation
      status: 422
      title: Out of stock
      detail: sku pen-1 is not available
      instance: /do/0/check
      """

  Scenario: raise can name an error declared under use.errors
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: raise-reusable, version: '1.0.0'}
      use:
        errors:
          notAllowed:
            type: https://serverlessworkflow.io/spec/1.0.0/errors/authorization
            status: 403
            title: Not allowed
      do:
        - refuse:
            raise:
              error: notAllowed
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/authorization
      status: 403
      title: Not allowed
      """

  Scenario: catch handles a matching error, exposes it under its name and runs its tasks
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: try-catch, version: '1.0.0'}
      do:
        - guarded:
            try:
              - fail:
                  raise:
                    error:
                      type: https://serverlessworkflow.io/spec/1.0.0/errors/runtime
                      status: 500
                      title: Boom
            catch:
              errors:
                with:
                  type: https://serverlessworkflow.io/spec/1.0.0/errors/runtime
              as: problem
              do:
                - note:
                    set:
                      handled: ${ $problem.title }
                      where: ${ $problem.instance }
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      handled: Boom
      where: /do/0/guarded/try/0/fail
      """

  Scenario: an error that the catch filter does not match faults the workflow
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: try-uncaught, version: '1.0.0'}
      do:
        - guarded:
            try:
              - fail:
                  raise:
                    error:
                      type: https://serverlessworkflow.io/spec/1.0.0/errors/runtime
                      status: 500
            catch:
              errors:
                with:
                  status: 404
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/runtime
      status: 500
      instance: /do/0/guarded/try/0/fail
      """

  Scenario: catch.when decides with an expression over the error
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: try-when, version: '1.0.0'}
      do:
        - guarded:
            try:
              - fail:
                  raise:
                    error:
                      type: https://serverlessworkflow.io/spec/1.0.0/errors/runtime
                      status: 503
            catch:
              as: e
              when: ${ $e.status >= 500 }
        - after:
            set:
              recovered: true
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      recovered: true
      """

  Scenario: catch.retry runs the try block again until it succeeds
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: try-retry, version: '1.0.0'}
      do:
        - flaky:
            try:
              - maybe:
                  call: http
                  with:
                    method: get
                    endpoint: https://httpbin.org/status/503
            catch:
              errors:
                with:
                  type: https://serverlessworkflow.io/spec/1.0.0/errors/communication
              retry:
                delay: {milliseconds: 10}
                limit:
                  attempt:
                    count: 3
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/communication
      status: 503
      """

  Scenario: catch.exceptWhen lets an error it matches through
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: try-except-when, version: '1.0.0'}
      do:
        - guarded:
            try:
              - fail:
                  raise:
                    error:
                      type: https://serverlessworkflow.io/spec/1.0.0/errors/runtime
                      status: 500
                      title: Fatal
            catch:
              as: e
              exceptWhen: ${ $e.title == "Fatal" }
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      status: 500
      title: Fatal
      """
