-- wrk script: GET the path given on the command line with the bearer token from TOKEN.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
