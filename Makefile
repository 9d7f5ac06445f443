.PHONY: install build dev start test test-unit test-int test-e2e lint typecheck verify migrate mongo clean \
	docker-build compose-up compose-down deploy-check k8s-render k8s-apply image-smoke

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

# --- Deployment (docs/operations.md) ---
IMAGE ?= wormhole:local

docker-build:
	docker build -t $(IMAGE) .

# Redis (AOF), Postgres, Mongo, api, 2 workers, executor; the API on localhost:8080.
compose-up:
	docker compose up -d --build

compose-down:
	docker compose down

# Static checks of Dockerfile, docker-compose.yml and deploy/k8s (no docker or cluster needed).
deploy-check:
	npx jest test/deploy test/k8s-schema test/operations-docs

k8s-render:
	kubectl kustomize deploy/k8s

# A Job's pod template is immutable: delete the finished migration job, then apply everything.
k8s-apply:
	kubectl -n wormhole delete job wormhole-migrate --ignore-not-found
	kubectl apply -k deploy/k8s
	kubectl -n wormhole wait --for=condition=complete job/wormhole-migrate --timeout=10m

# The image's build and runtime stages without Docker, against this machine's Postgres and Redis.
image-smoke:
	bash deploy/smoke-image.sh
