.PHONY: install build dev start test test-unit test-int test-e2e lint typecheck verify migrate mongo clean

install:
	npm ci

build:
	npm run build

# Runs the whole system on this machine's Redis and Postgres.
dev start:
	npm start

test:
	npm test

test-unit:
	npm run test:unit

test-int:
	npm run test:int

test-e2e:
	npm run test:e2e

lint:
	npm run lint

typecheck:
	npm run typecheck

verify:
	npm run verify

migrate:
	npm run migrate

# Starts the MongoDB-compatible test server and prints MONGODB_URL.
mongo:
	bash .ci/mongo.sh

clean:
	rm -rf shared/*/dist services/*/dist
