# Two commands do all set-up on a fresh Debian machine: `make up` runs the platform, `make test` runs every test.
.PHONY: up down test test-fast bench infra build clean-state migration vocabulary

up:
	@scripts/platform.sh up

down:
	@scripts/platform.sh down
	@scripts/infra.sh down

test:
	@scripts/test.sh

# Builds, then runs only the unit tests (pure rules, no infrastructure): the loop to run while editing.
test-fast:
	@DERP_FAST_ONLY=1 DERP_SKIP_INFRA=1 scripts/test.sh

# Load and memory figures, each against a baseline measured in the same run.
bench:
	@scripts/load-validate.sh
	@scripts/bench-export.sh

infra:
	@scripts/infra.sh up

build:
	dotnet build Derp.sln -c Release

# make migration SERVICE=users NAME=AddDevices
migration:
	@scripts/add-migration.sh $(SERVICE) $(NAME)

# The web portal's copy of the vocabularies (statuses, kinds, types, actions) from Derp.Contracts.
vocabulary:
	dotnet run --project tools/Derp.DesignTime -c Release -- vocabulary web/src/lib/vocabulary.generated.ts
