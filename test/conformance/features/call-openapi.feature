Feature: call openapi
  Operations of an OpenAPI (Swagger 2.0) description, read from a local stand-in for the petstore:
  parameters go where the operation declares them, and the outputs are those of call http.

  Scenario: a path parameter from the input selects the pet, and output as keeps what is needed
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: openapi-path, version: '1.0.0'}
      do:
        - lookUp:
            call: openapi
            with:
              document:
                endpoint: https://petstore.swagger.io/v2/swagger.json
              operationId: getPetById
              parameters:
                petId: ${ .id }
            output:
              as: '${ {name, status} }'
      """
    And the workflow input is:
      """yaml
      id: 2
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      name: Milou
      status: available
      """

  Scenario: an array query parameter is sent once per value and output response reports the request
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: openapi-query, version: '1.0.0'}
      do:
        - search:
            call: openapi
            with:
              document:
                endpoint: https://petstore.swagger.io/v2/swagger.json
              operationId: findPetsByStatus
              parameters:
                status: [pending, sold]
              output: response
            output:
              as: '${ {method: .request.method, statusCode, statuses: (.content | map(.status) | unique)} }'
      """
    When the workflow is executed
    Then the workflow should complete with output:
      """yaml
      method: GET
      statusCode: 200
      statuses: [pending, sold]
      """

  Scenario: an operation the document does not describe faults with a configuration error
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: openapi-unknown, version: '1.0.0'}
      do:
        - adopt:
            call: openapi
            with:
              document:
                endpoint: https://petstore.swagger.io/v2/swagger.json
              operationId: adoptPet
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/configuration
      status: 400
      instance: /do/0/adopt
      """

  Scenario: a required parameter left out faults with a validation error naming it
    Given a workflow with definition:
      """yaml
      document: {dsl: '1.0.0', namespace: conformance, name: openapi-missing, version: '1.0.0'}
      do:
        - lookUp:
            call: openapi
            with:
              document:
                endpoint: https://petstore.swagger.io/v2/swagger.json
              operationId: getPetById
      """
    When the workflow is executed
    Then the workflow should fault with error:
      """yaml
      type: https://serverlessworkflow.io/spec/1.0.0/errors/validation
      status: 400
      detail: operation 'getPetById' requires the path parameter 'petId'
      """
