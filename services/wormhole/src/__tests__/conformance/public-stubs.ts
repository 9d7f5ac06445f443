/*
 * Local stand-ins for the public services the CTK features and the spec's examples call
 * (the Swagger petstore, httpbin, the Star Wars API, an OAuth2 authority, a function catalog), each an HTTP server on a free port of 127.0.0.1. Tests have no
 * internet, and conformance must not depend on someone else's demo server being up: the runner
 * rewrites every `https://<public host>` in a definition to the stub standing in for that host
 * (`rewritePublicUrls`), keeping the path, so `https://petstore.swagger.io/v2/pet/1` is asked of
 * `http://127.0.0.1:<port>/v2/pet/1`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Express, Request, Response } from 'express';
import { petstoreSwaggerDocument } from './petstore-document';

export interface PublicStubs {
  /** Public origin (`https://petstore.swagger.io`) → the stub's origin (`http://127.0.0.1:40123`). */
  readonly origins: ReadonlyMap<string, string>;
  /** Requests each stub received, as `METHOD host/path`. */
  readonly requests: string[];
  close(): Promise<void>;
}

interface Pet {
  id: number;
  category: { id: number; name: string };
  name: string;
  photoUrls: string[];
  tags: { id: number; name: string }[];
  status: 'available' | 'pending' | 'sold';
}

function seedPets(): Map<number, Pet> {
  const pet = (id: number, name: string, category: string, status: Pet['status']): Pet => ({
    id,
    category: { id: id % 3, name: category },
    name,
    photoUrls: [`https://example.com/photos/${id}.jpg`],
    tags: [{ id, name: category.toLowerCase() }],
    status,
  });
  return new Map(
    [
      pet(1, 'doggie', 'Dogs', 'available'),
      pet(2, 'Milou', 'Dogs', 'available'),
      pet(3, 'Garfield', 'Cats', 'pending'),
      pet(4, 'Nemo', 'Fish', 'sold'),
      pet(5, 'Rex', 'Dogs', 'available'),
    ].map((p) => [p.id, p]),
  );
}

/** A repeated or comma-separated query parameter (`?status=a&status=b`, `?status=a,b`) as a list. */
function queryList(value: unknown): string[] {
  return [value]
    .flat()
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','));
}

/** The petstore's v2 API, answering as petstore.swagger.io does (including its 404 bodies). */
function petstore(app: Express, ownOrigin: () => string): void {
  const pets = seedPets();
  const notFound = (res: Response, message: string): void => {
    res.status(404).json({ code: 1, type: 'error', message });
  };
  app.get('/v2/swagger.json', (_req, res) => {
    res.json(petstoreSwaggerDocument(new URL(ownOrigin()).host));
  });
  app.get('/v2/pet/findByStatus', (req, res) => {
    const wanted = queryList(req.query.status);
    res.json([...pets.values()].filter((p) => wanted.includes(p.status)));
  });
  app.get('/v2/pet/findByTags', (req, res) => {
    const wanted = queryList(req.query.tags);
    res.json([...pets.values()].filter((p) => p.tags.some((t) => wanted.includes(t.name))));
  });
  app.get('/v2/pet/:petId', (req, res) => {
    const pet = pets.get(Number(req.params.petId));
    if (pet === undefined) notFound(res, 'Pet not found');
    else res.json(pet);
  });
  app.delete('/v2/pet/:petId', (req, res) => {
    const id = Number(req.params.petId);
    if (!pets.delete(id)) notFound(res, 'Pet not found');
    else res.json({ code: 200, type: 'unknown', message: String(id) });
  });
  const upsert = (req: Request, res: Response): void => {
    const pet = req.body as Pet;
    if (typeof pet?.id !== 'number' || typeof pet.name !== 'string') {
      res.status(405).json({ code: 405, type: 'unknown', message: 'Invalid input' });
      return;
    }
    pets.set(pet.id, pet);
    res.json(pet);
  };
  app.post('/v2/pet', upsert);
  app.put('/v2/pet', upsert);
  app.use((req, res) => notFound(res, `no route for ${req.method} ${req.path}`));
}

/** The parts of httpbin.org the features use: basic and bearer authentication, echo, statuses, redirects. */
function httpbin(app: Express): void {
  const echo = (req: Request, res: Response): void => {
    res.json({
      args: req.query,
      headers: req.headers,
      method: req.method,
      url: req.originalUrl,
      json: req.body ?? null,
    });
  };
  app.get('/basic-auth/:user/:passwd', (req, res) => {
    const expected = `Basic ${Buffer.from(`${req.params.user}:${req.params.passwd}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      res.status(401).set('WWW-Authenticate', 'Basic realm="Fake Realm"').end();
      return;
    }
    res.json({ authenticated: true, user: req.params.user });
  });
  app.get('/bearer', (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined) res.status(401).set('WWW-Authenticate', 'Bearer').end();
    else res.json({ authenticated: true, token });
  });
  app.get('/digest-auth/:qop/:user/:passwd{/:algorithm}', (req, res) => {
    const { qop, user, passwd } = req.params;
    const algorithm = req.params.algorithm ?? 'MD5';
    const nonce = 'n-wormhole-conformance';
    const hash = (text: string): string =>
      createHash(algorithm === 'SHA-256' ? 'sha256' : 'md5')
        .update(text)
        .digest('hex');
    const sent = Object.fromEntries(
      [...(req.headers.authorization ?? '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [
        m[1],
        m[2] ?? m[3],
      ]),
    );
    const ha1 = hash(`${user}:httpbin:${passwd}`);
    const ha2 = hash(`GET:${req.originalUrl}`);
    const expected = hash(`${ha1}:${nonce}:${sent.nc}:${sent.cnonce}:${qop}:${ha2}`);
    if (!req.headers.authorization?.startsWith('Digest ') || sent.response !== expected) {
      const challenge = `Digest realm="httpbin", nonce="${nonce}", qop="${qop}", algorithm=${algorithm}, opaque="o"`;
      res.status(401).set('WWW-Authenticate', challenge).end();
      return;
    }
    res.json({ authenticated: true, user });
  });
  app.get('/status/:code', (req, res) => {
    res.status(Number(req.params.code)).end();
  });
  app.get('/redirect-to', (req, res) => {
    const url = typeof req.query.url === 'string' ? req.query.url : '/get';
    res
      .status(Number(req.query.status_code ?? 302))
      .set('Location', url)
      .end();
  });
  app.all('/anything{/*rest}', echo);
  app.get('/get', echo);
  app.post('/post', echo);
}

/** The Star Wars API's people and planets (swapi.dev), with links to the stub's own origin as SWAPI gives its own. */
function swapi(app: Express, ownOrigin: () => string): void {
  const planets = [
    { name: 'Tatooine', climate: 'arid', terrain: 'desert', population: '200000' },
    { name: 'Alderaan', climate: 'temperate', terrain: 'grasslands, mountains', population: '2000000000' },
  ];
  const people = [
    { name: 'Luke Skywalker', height: '172', mass: '77', birth_year: '19BBY', gender: 'male', planet: 1 },
    { name: 'C-3PO', height: '167', mass: '75', birth_year: '112BBY', gender: 'n/a', planet: 1 },
    { name: 'Leia Organa', height: '150', mass: '49', birth_year: '19BBY', gender: 'female', planet: 2 },
  ];
  const person = (i: number): Record<string, unknown> => {
    const { planet, ...fields } = people[i]!;
    return {
      ...fields,
      homeworld: `${ownOrigin()}/api/planets/${planet}/`,
      url: `${ownOrigin()}/api/people/${i + 1}/`,
    };
  };
  const notFound = (res: Response): void => {
    res.status(404).json({ detail: 'Not found' });
  };
  app.get('/api/people/', (req, res) => {
    const search = typeof req.query.search === 'string' ? req.query.search.toLowerCase() : '';
    const results = people.map((_p, i) => person(i)).filter((p) => String(p.name).toLowerCase().includes(search));
    res.json({ count: results.length, next: null, previous: null, results });
  });
  app.get('/api/people/:id{/}', (req, res) => {
    const i = Number(req.params.id) - 1;
    if (people[i] === undefined) notFound(res);
    else res.json(person(i));
  });
  app.get('/api/planets/:id{/}', (req, res) => {
    const planet = planets[Number(req.params.id) - 1];
    if (planet === undefined) notFound(res);
    else res.json({ ...planet, url: `${ownOrigin()}/api/planets/${req.params.id}/` });
  });
}

/**
 * An OAuth2 / OpenID Connect authority (Keycloak-like paths) for the `oauth2` and `oidc` policies:
 * the features' client `shop` (secret `s3cret`) and the spec examples' `workflow-runtime-id`
 * (`workflow-runtime-secret`) get client_credentials tokens; anything else is refused.
 */
const CLIENTS: Readonly<Record<string, string>> = { shop: 's3cret', 'workflow-runtime-id': 'workflow-runtime-secret' };

function authority(app: Express, ownOrigin: () => string): void {
  app.use(express.urlencoded({ extended: false }));
  app.get('/realms/:realm/.well-known/openid-configuration', (req, res) => {
    const issuer = `${ownOrigin()}/realms/${req.params.realm}`;
    res.json({ issuer, token_endpoint: `${issuer}/protocol/openid-connect/token` });
  });
  const token = (req: Request, res: Response): void => {
    const fields = req.body as Record<string, string | undefined>;
    if (fields.client_id === undefined || CLIENTS[fields.client_id] !== fields.client_secret) {
      res.status(401).json({ error: 'invalid_client' });
      return;
    }
    if (fields.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type' });
      return;
    }
    res.json({ access_token: `tok-${randomBytes(8).toString('hex')}`, token_type: 'Bearer', expires_in: 300 });
  };
  app.post('/realms/:realm/oauth2/token', token);
  app.post('/realms/:realm/auth/token', token);
  app.post('/realms/:realm/protocol/openid-connect/token', token);
}

/**
 * A resource catalog (dsl.md, "Catalogs": `{endpoint}/functions/{name}/{version}/function.yaml`)
 * with a `greet` function whose call is answered by the catalog itself, the same function behind
 * basic authentication (`user`/`012345`, as in dsl.md's example) under `/private`, and JSON
 * schemas under `/schemas` for `schema.resource`.
 */
function catalog(app: Express, ownOrigin: () => string): void {
  const greet = (): string =>
    [
      'input:',
      '  schema:',
      '    document: {type: object, required: [name], properties: {name: {type: string}}}',
      'output:',
      '  schema:',
      '    document: {type: object, required: [greeting]}',
      'call: http',
      'with:',
      '  method: post',
      `  endpoint: ${ownOrigin()}/greet`,
      "  body: '${ {name: .name} }'",
      '',
    ].join('\n');
  app.get('/functions/greet/1.0.0/function.yaml', (_req, res) => {
    res.type('application/yaml').send(greet());
  });
  app.get('/private/functions/greet/1.0.0/function.yaml', (req, res) => {
    if (req.headers.authorization !== `Basic ${Buffer.from('user:012345').toString('base64')}`) {
      res.status(401).set('www-authenticate', 'Basic realm="catalog"').end();
      return;
    }
    res.type('application/yaml').send(greet());
  });
  app.post('/greet', (req, res) => {
    const { name } = req.body as { name?: unknown };
    res.json({ greeting: `Hello, ${String(name)}!` });
  });
  app.get('/schemas/order.json', (_req, res) => {
    res.json({
      type: 'object',
      required: ['id', 'quantity'],
      properties: { quantity: { type: 'integer', minimum: 1 } },
    });
  });
}

const STUBBED: Record<string, (app: Express, ownOrigin: () => string) => void> = {
  'https://catalog.example': catalog,
  'https://petstore.swagger.io': petstore,
  'https://httpbin.org': httpbin,
  'https://swapi.dev': swapi,
  'https://auth.example': authority,
  // The spec examples' authority (`http://keycloak/realms/fake-authority`).
  'http://keycloak': authority,
};

async function listen(app: Express): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Starts one stub per public host. */
export async function startPublicStubs(): Promise<PublicStubs> {
  const origins = new Map<string, string>();
  const requests: string[] = [];
  const servers: Server[] = [];
  for (const [publicOrigin, mount] of Object.entries(STUBBED)) {
    const app = express();
    app.use(express.json());
    app.use((req, _res, next) => {
      requests.push(`${req.method} ${new URL(publicOrigin).host}${req.originalUrl}`);
      next();
    });
    mount(app, () => origins.get(publicOrigin)!);
    const server = await listen(app);
    servers.push(server);
    origins.set(publicOrigin, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  return {
    origins,
    requests,
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}

/** `text` with every stubbed public origin (https or http) replaced by its stub's origin. */
export function rewritePublicUrls(text: string, origins: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [publicOrigin, stub] of origins) {
    const host = new URL(publicOrigin).host.replace(/\./g, '\\.');
    out = out.replace(new RegExp(`https?://${host}(?![\\w.-])`, 'g'), stub);
  }
  return out;
}
