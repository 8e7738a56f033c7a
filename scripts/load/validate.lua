-- wrk: POST /api/validate for one active, bound licence.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"code":"%s","machine_code":"LOAD-MACHINE","function":"start"}', os.getenv("DERP_LOAD_CODE"))
