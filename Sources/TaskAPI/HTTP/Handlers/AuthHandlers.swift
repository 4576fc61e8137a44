import Fluent
import TaskAPIContract

extension APIHandlers {
    /// Exchanges a username and password, sent as JSON or as the OAuth2 password form, for a bearer token.
    func login(_ input: Operations.Login.Input) async throws -> Operations.Login.Output {
        let username: String
        let password: String
        switch input.body {
        case .json(let body):
            (username, password) = (body.username, body.password)
        case .urlEncodedForm(let form):
            if let grantType = form.grantType, grantType != "password" {
                throw ValidationFailure(
                    in: .body,
                    [
                        FieldViolation(
                            "grant_type", "String should match pattern '^password$'", kind: "string_pattern_mismatch")
                    ])
            }
            (username, password) = (form.username, form.password)
        }
        let user = try await UserRecord.find(usernameIgnoringCase: username, on: database())
        guard try await passwords.verify(password, against: user?.passwordHash), let user else {
            return .unauthorized(
                .init(
                    headers: .init(wwwAuthenticate: .bearer),
                    body: .json(.init(detail: "Incorrect username or password"))))
        }
        let issued = try await tokens.issue(forUserID: try user.requireID())
        return .ok(
            .init(body: .json(.init(accessToken: issued.token, tokenType: .bearer, expiresIn: issued.expiresIn))))
    }
}
