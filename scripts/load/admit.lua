-- wrk: POST /api/acl/derp/admit as derper's -verify-client-url does, for a registered device of the relay's renter.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"NodePublic":"%s","Source":"203.0.113.1"}', os.getenv("DERP_LOAD_NODE_KEY"))
