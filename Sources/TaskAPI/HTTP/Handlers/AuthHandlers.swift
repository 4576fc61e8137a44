import Fluent
import TaskAPIContract

extension APIHandlers {
    /// Exchanges a username and password, sent as JSON or as the OAuth2 password form, for an access token and a
    /// refresh token: the start of a session.
    func login(_ input: Operations.Login.Input) async throws -> Operations.Login.Output {
        let username: String
        let password: String
        switch input.body {
        case .json(let body):
            (username, password) = (body.username, body.password)
        case .urlEncodedForm(let form):
            try Self.requireGrantType(form.grantType ?? "password", is: "password")
            (username, password) = (form.username, form.password)
        }
        let origin = origin
        var user: UserRecord?
        let verified: Bool
        do {
            verified = try await checkPassword(password, username: username, address: origin.address) {
                user = try await UserRecord.find(usernameIgnoringCase: username, on: database())
                return user?.passwordHash
            }
        } catch let refusal as ThrottleRefusal {
            ServiceMetrics.login(.throttled)
            throw refusal
        }
        guard verified, let user else {
            ServiceMetrics.login(.failure)
            return .unauthorized(
                .init(
                    headers: .init(wwwAuthenticate: .bearer),
                    body: .json(.init(detail: "Incorrect username or password"))))
        }
        let issued = try await sessions.start(
            userID: try user.requireID(), userAgent: origin.userAgent, clientAddress: origin.address)
        ServiceMetrics.login(.success)
        return .ok(.init(issued))
    }

    /// Spends a refresh token, sent as JSON or as the OAuth2 refresh form, for a new pair of tokens.
    func refreshToken(_ input: Operations.RefreshToken.Input) async throws -> Operations.RefreshToken.Output {
        let secret: String
        switch input.body {
        case .json(let body):
            secret = body.refreshToken
        case .urlEncodedForm(let form):
            try Self.requireGrantType(form.grantType, is: "refresh_token")
            secret = form.refreshToken
        }
        let address = origin.address
        try await throttle.checkAttempt(username: nil, address: address)
        let outcome = try await sessions.refresh(secret: secret)
        switch outcome {
        case .issued(let issued):
            ServiceMetrics.refresh(.success)
            return .ok(.init(issued))
        case .refused, .reuseDetected:
            ServiceMetrics.refresh(outcome.isReuse ? .reuse : .refused)
            try await throttle.recordFailure(username: nil, address: address)
            return .unauthorized(
                .init(
                    headers: .init(wwwAuthenticate: .bearer),
                    body: .json(.init(detail: APIError.invalidToken.detail))))
        }
    }

    /// Ends the caller's session: its access and refresh tokens stop working at once.
    func logout(_ input: Operations.Logout.Input) async throws -> Operations.Logout.Output {
        let caller = try Caller.required()
        _ = try await sessions.end(caller.sessionID, of: caller.id, reason: .logout)
        return .noContent(.init())
    }

    /// An OAuth2 form's `grant_type` must name the grant its endpoint serves.
    private static func requireGrantType(_ grantType: String, is expected: String) throws {
        guard grantType == expected else {
            throw ValidationFailure(
                in: .body,
                [
                    FieldViolation(
                        "grant_type", "String should match pattern '^\(expected)$'", kind: "string_pattern_mismatch")
                ])
        }
    }
}

extension Components.Responses.TokenIssued {
    /// The tokens of a login or refresh, never to be cached (RFC 6749 section 5.1).
    init(_ issued: SessionService.IssuedTokens) {
        self.init(
            headers: .init(cacheControl: .noStore, pragma: .noCache),
            body: .json(
                .init(
                    accessToken: issued.accessToken, tokenType: .bearer, expiresIn: issued.expiresIn,
                    refreshToken: issued.refreshToken, refreshExpiresIn: issued.refreshExpiresIn)))
    }
}
