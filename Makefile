# Two commands do all set-up on a fresh Debian machine: `make up` runs the platform, `make test` runs every test.
.PHONY: up down test infra build clean-state migration

up:
	@scripts/platform.sh up

down:
	@scripts/platform.sh down
	@scripts/infra.sh down

test:
	@scripts/test.sh

infra:
	@scripts/infra.sh up

build:
	dotnet build Derp.sln -c Release

# make migration SERVICE=users NAME=AddDevices
migration:
	@scripts/add-migration.sh $(SERVICE) $(NAME)
