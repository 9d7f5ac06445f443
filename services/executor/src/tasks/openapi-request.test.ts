import type { JsonObject, TaskRequest } from '@wormhole/interfaces';
import { HttpArgumentsError } from './http-request';
import { OpenApiDescription } from './openapi-description';
import { buildOpenApiRequest, openApiDocumentUrl } from './openapi-request';

const swagger = {
  swagger: '2.0',
  host: 'pets.example.com',
  basePath: '/v2',
  schemes: ['https', 'http'],
  consumes: ['application/json'],
  parameters: { petId: { name: 'petId', in: 'path', required: true, type: 'integer' } },
  paths: {
    '/pet/{petId}': {
      parameters: [{ $ref: '#/parameters/petId' }],
      get: { operationId: 'getPetById', parameters: [{ name: 'api_key', in: 'header', type: 'string' }] },
      post: {
        operationId: 'updatePetWithForm',
        consumes: ['application/x-www-form-urlencoded'],
        parameters: [
          { name: 'name', in: 'formData', type: 'string' },
          { name: 'status', in: 'formData', type: 'string' },
        ],
      },
    },
    '/pet/findByStatus': {
      get: {
        operationId: 'findPetsByStatus',
        parameters: [{ name: 'status', in: 'query', required: true, type: 'array', collectionFormat: 'multi' }],
      },
    },
    '/pet/findByTags': {
      get: { operationId: 'findPetsByTags', parameters: [{ name: 'tags', in: 'query', type: 'array' }] },
    },
    '/pet': { post: { operationId: 'addPet', parameters: [{ name: 'body', in: 'body', required: true }] } },
  },
};

const openapi3 = `
openapi: 3.0.3
servers:
  - url: /api/{version}
    variables: {version: {default: v3}}
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - {name: id, in: path, required: true}
        - {name: fields, in: query, explode: false, schema: {type: array}}
        - {name: session, in: cookie}
  /orders:
    post:
      operationId: createOrder
      requestBody:
        content:
          application/json: {schema: {type: object}}
`;

function request(withArgs: JsonObject): TaskRequest {
  return {
    tenantId: 't',
    workflowId: 'wf_1',
    executionId: 'ex_1',
    taskPath: '/do/0/call',
    taskName: 'call',
    task: { call: 'openapi', with: withArgs },
    input: {},
    attempt: 1,
    idempotencyKey: 'ex_1:/do/0/call:1',
  };
}

const petstore = OpenApiDescription.parse(JSON.stringify(swagger), new URL('https://pets.example.com/v2/swagger.json'));
const orders = OpenApiDescription.parse(openapi3, new URL('http://shop.example.com/specs/openapi.yaml'));
const build = (description: OpenApiDescription, args: JsonObject) => buildOpenApiRequest(request(args), description);

describe('buildOpenApiRequest', () => {
  it('fills path parameters (path-level, by $ref) and headers of a Swagger 2 operation on the document scheme', () => {
    const spec = build(petstore, { operationId: 'getPetById', parameters: { petId: 7, api_key: 'k' } });
    expect(spec.method).toBe('GET');
    expect(spec.url.href).toBe('https://pets.example.com/v2/pet/7');
    expect(spec.headers).toMatchObject({ api_key: 'k', 'idempotency-key': 'ex_1:/do/0/call:1' });
    expect(spec.output).toBe('content');
  });

  it('repeats multi query arrays and joins csv ones', () => {
    const multi = build(petstore, { operationId: 'findPetsByStatus', parameters: { status: ['available', 'sold'] } });
    expect(multi.url.search).toBe('?status=available&status=sold');
    const csv = build(petstore, { operationId: 'findPetsByTags', parameters: { tags: ['a', 'b'] } });
    expect(csv.url.searchParams.get('tags')).toBe('a,b');
  });

  it('sends the body parameter as JSON and form parameters urlencoded', () => {
    const added = build(petstore, { operationId: 'addPet', parameters: { body: { name: 'rex' } } });
    expect(added).toMatchObject({ method: 'POST', body: '{"name":"rex"}' });
    expect(added.headers['content-type']).toBe('application/json');
    const form = build(petstore, { operationId: 'updatePetWithForm', parameters: { petId: 1, name: 'rex' } });
    expect(form.body).toBe('name=rex');
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('resolves an OpenAPI 3 relative server with its variables, non-exploded arrays and cookies', () => {
    const spec = build(orders, {
      operationId: 'getOrder',
      parameters: { id: 'a/b', fields: ['x', 'y'], session: 's1' },
      output: 'response',
    });
    expect(spec.url.href).toBe('http://shop.example.com/api/v3/orders/a%2Fb?fields=x%2Cy');
    expect(spec.headers.cookie).toBe('session=s1');
    expect(spec.output).toBe('response');
  });

  it('puts undeclared parameters into an OpenAPI 3 request body', () => {
    const spec = build(orders, { operationId: 'createOrder', parameters: { item: 'book', qty: 2 } });
    expect(JSON.parse(spec.body!)).toEqual({ item: 'book', qty: 2 });
    expect(spec.headers['content-type']).toBe('application/json');
  });

  it('adds the authentication header but keeps it out of the reported request headers', () => {
    const spec = build(petstore, {
      operationId: 'getPetById',
      parameters: { petId: 1 },
      authentication: { bearer: { token: 'secret-token' } },
    });
    expect(spec.headers.authorization).toBe('Bearer secret-token');
    expect(spec.publicHeaders.authorization).toBeUndefined();
  });

  it.each([
    [{ operationId: 'nope' }, 'configuration', "operation 'nope' is not in the OpenAPI document"],
    [{ operationId: 'getPetById', parameters: {} }, 'validation', "requires the path parameter 'petId'"],
    [{ operationId: 'getPetById', parameters: { petId: 1, extra: 2 } }, 'validation', "has no parameter 'extra'"],
    [{}, 'configuration', 'with.operationId is required'],
  ])('refuses %j with a %s error', (args, kind, message) => {
    let thrown: unknown;
    try {
      build(petstore, args);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(HttpArgumentsError);
    expect((thrown as HttpArgumentsError).kind).toBe(kind);
    expect((thrown as Error).message).toContain(message);
  });
});

describe('OpenApiDescription.parse', () => {
  it('refuses text that is not an OpenAPI or Swagger 2 document', () => {
    expect(() => OpenApiDescription.parse('{"info": {}}', new URL('http://x/doc.json'))).toThrow(
      /not an OpenAPI 3.x or Swagger 2.0 document/,
    );
    expect(() => OpenApiDescription.parse('{ nope', new URL('http://x/doc.json'))).toThrow(/neither JSON nor YAML/);
  });

  it('refuses a remote reference, naming it', () => {
    const remote = {
      swagger: '2.0',
      paths: { '/a': { get: { operationId: 'a', parameters: [{ $ref: 'other.json#/p' }] } } },
    };
    expect(() => OpenApiDescription.parse(JSON.stringify(remote), new URL('http://x/doc.json'))).toThrow(
      /'other.json#\/p' .* cannot be followed/,
    );
  });
});

describe('openApiDocumentUrl', () => {
  it('reads the endpoint as a string or an endpoint object', () => {
    expect(openApiDocumentUrl(request({ document: { endpoint: 'http://x/a.json' } })).href).toBe('http://x/a.json');
    expect(openApiDocumentUrl(request({ document: { endpoint: { uri: 'http://x/b.json' } } })).href).toBe(
      'http://x/b.json',
    );
    expect(() => openApiDocumentUrl(request({ document: {} }))).toThrow(/with.document.endpoint/);
  });
});
