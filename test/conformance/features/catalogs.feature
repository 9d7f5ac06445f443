Feature: use.catalogs and external resources
  Functions published in a catalog (call: <name>:<version>@<catalog>) and schemas given as a
  resource are fetched by the executor before the first task, recorded in the run's history, and
  then used like use.functions and inline schemas.

  Scenario: a catalog function is called with the caller's `with` as its input
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: catalog-function, version: '1.0.0'}
      use:
        catalogs:
          shared:
            endpoint:
              uri: https://catalog.example
      do:
        - hello:
            call: greet:1.0.0@shared
            with:
              name: ${ .who }
            output:
              as: .greeting
      """
    And the workflow input is:
      """yaml
      who: Ada
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      Hello, Ada!
      """

  Scenario: a catalog behind authentication is read with the catalog's policy
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: catalog-authenticated, version: '1.0.0'}
      use:
        catalogs:
          private:
            endpoint:
              uri: https://catalog.example/private
              authentication:
                basic:
                  username: user
                  password: '012345'
      do:
        - hello:
            call: greet:1.0.0@private
            with:
              name: Grace
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      greeting: Hello, Grace!
      """

  Scenario: the catalog function's input schema applies to the caller's `with`
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: catalog-input-schema, version: '1.0.0'}
      use:
        catalogs:
          shared:
            endpoint: https://catalog.example
      do:
        - hello:
            call: greet:1.0.0@shared
            with:
              name: 42
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/validation
      instance: /do/0/hello
      """

  Scenario: a function the catalog does not have is a configuration error a try can catch
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: catalog-missing, version: '1.0.0'}
      use:
        catalogs:
          shared:
            endpoint: https://catalog.example
      do:
        - guarded:
            try:
              - hello:
                  call: farewell:1.0.0@shared
            catch:
              errors:
                with:
                  type: https://serverlessworkflow.io/spec/1.0.0/errors/configuration
              as: failure
              do:
                - note:
                    set:
                      caught: ${ $failure.instance }
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      caught: /do/0/guarded/try/0/hello
      """

  Scenario: a call of a catalog use.catalogs does not declare is refused when the workflow is created
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.3', namespace: conformance, name: catalog-undeclared, version: '1.0.0'}
      do:
        - hello:
            call: greet:1.0.0@elsewhere
      """
    When the workflow is executed
    Then the workflow definition should be rejected with:
      """yaml
      error: VALIDATION_ERROR
      message: "unsupported workflow definition: /do/0/hello/call calls 'greet:1.0.0@elsewhere' from catalog 'elsewhere', which use.catalogs does not declare"
      """

  Scenario: a workflow input schema given as a resource is fetched and checked
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: external-schema, version: '1.0.0'}
      input:
        schema:
          format: json
          resource:
            endpoint: https://catalog.example/schemas/order.json
      do:
        - accept:
            set:
              ok: true
      """
    And the workflow input is:
      """yaml
      id: 7
      quantity: 0
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/validation
      status: 400
      instance: /input/schema
      """

  Scenario: a task output schema given as a resource accepts a conforming output
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: external-output-schema, version: '1.0.0'}
      do:
        - order:
            set:
              id: 7
              quantity: 2
            output:
              schema:
                format: json
                resource:
                  endpoint:
                    uri: https://catalog.example/schemas/order.json
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      id: 7
      quantity: 2
      """

  Scenario: a schema resource that cannot be read fails the task that uses it
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: external-schema-missing, version: '1.0.0'}
      do:
        - order:
            set:
              id: 7
            output:
              schema:
                format: json
                resource:
                  endpoint: https://catalog.example/schemas/missing.json
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/configuration
      instance: /do/0/order
      """
