/*
 * A Swagger 2.0 description of the petstore's pet API, shaped like the one petstore.swagger.io
 * serves at /v2/swagger.json, with `host` pointing at the local stub so `call: openapi` reaches it.
 */
export function petstoreSwaggerDocument(host: string): Record<string, unknown> {
  const petIdParameter = {
    name: 'petId',
    in: 'path',
    description: 'ID of pet',
    required: true,
    type: 'integer',
    format: 'int64',
  };
  const petBody = {
    in: 'body',
    name: 'body',
    description: 'Pet object that needs to be added to the store',
    required: true,
    schema: { $ref: '#/definitions/Pet' },
  };
  const json = ['application/json', 'application/xml'];
  return {
    swagger: '2.0',
    info: {
      description: 'This is a sample server Petstore server.',
      version: '1.0.7',
      title: 'Swagger Petstore',
      license: { name: 'Apache 2.0', url: 'http://www.apache.org/licenses/LICENSE-2.0.html' },
    },
    host,
    basePath: '/v2',
    tags: [{ name: 'pet', description: 'Everything about your Pets' }],
    schemes: ['http'],
    paths: {
      '/pet': {
        post: {
          tags: ['pet'],
          summary: 'Add a new pet to the store',
          operationId: 'addPet',
          consumes: ['application/json', 'application/xml'],
          produces: json,
          parameters: [petBody],
          responses: {
            '200': { description: 'successful operation', schema: { $ref: '#/definitions/Pet' } },
            '405': { description: 'Invalid input' },
          },
        },
        put: {
          tags: ['pet'],
          summary: 'Update an existing pet',
          operationId: 'updatePet',
          consumes: ['application/json', 'application/xml'],
          produces: json,
          parameters: [petBody],
          responses: {
            '200': { description: 'successful operation', schema: { $ref: '#/definitions/Pet' } },
            '404': { description: 'Pet not found' },
          },
        },
      },
      '/pet/findByStatus': {
        get: {
          tags: ['pet'],
          summary: 'Finds Pets by status',
          description: 'Multiple status values can be provided with comma separated strings',
          operationId: 'findPetsByStatus',
          produces: json,
          parameters: [
            {
              name: 'status',
              in: 'query',
              description: 'Status values that need to be considered for filter',
              required: true,
              type: 'array',
              items: { type: 'string', enum: ['available', 'pending', 'sold'], default: 'available' },
              collectionFormat: 'multi',
            },
          ],
          responses: {
            '200': {
              description: 'successful operation',
              schema: { type: 'array', items: { $ref: '#/definitions/Pet' } },
            },
            '400': { description: 'Invalid status value' },
          },
        },
      },
      '/pet/findByTags': {
        get: {
          tags: ['pet'],
          summary: 'Finds Pets by tags',
          operationId: 'findPetsByTags',
          produces: json,
          parameters: [
            {
              name: 'tags',
              in: 'query',
              required: true,
              type: 'array',
              items: { type: 'string' },
              collectionFormat: 'multi',
            },
          ],
          responses: {
            '200': {
              description: 'successful operation',
              schema: { type: 'array', items: { $ref: '#/definitions/Pet' } },
            },
          },
          deprecated: true,
        },
      },
      '/pet/{petId}': {
        get: {
          tags: ['pet'],
          summary: 'Find pet by ID',
          description: 'Returns a single pet',
          operationId: 'getPetById',
          produces: json,
          parameters: [{ ...petIdParameter, description: 'ID of pet to return' }],
          responses: {
            '200': { description: 'successful operation', schema: { $ref: '#/definitions/Pet' } },
            '400': { description: 'Invalid ID supplied' },
            '404': { description: 'Pet not found' },
          },
        },
        delete: {
          tags: ['pet'],
          summary: 'Deletes a pet',
          operationId: 'deletePet',
          produces: json,
          parameters: [
            { name: 'api_key', in: 'header', required: false, type: 'string' },
            { ...petIdParameter, description: 'Pet id to delete' },
          ],
          responses: { '400': { description: 'Invalid ID supplied' }, '404': { description: 'Pet not found' } },
        },
      },
    },
    definitions: {
      Category: {
        type: 'object',
        properties: { id: { type: 'integer', format: 'int64' }, name: { type: 'string' } },
      },
      Tag: {
        type: 'object',
        properties: { id: { type: 'integer', format: 'int64' }, name: { type: 'string' } },
      },
      Pet: {
        type: 'object',
        required: ['name', 'photoUrls'],
        properties: {
          id: { type: 'integer', format: 'int64' },
          category: { $ref: '#/definitions/Category' },
          name: { type: 'string', example: 'doggie' },
          photoUrls: { type: 'array', items: { type: 'string' } },
          tags: { type: 'array', items: { $ref: '#/definitions/Tag' } },
          status: { type: 'string', description: 'pet status in the store', enum: ['available', 'pending', 'sold'] },
        },
      },
    },
  };
}
