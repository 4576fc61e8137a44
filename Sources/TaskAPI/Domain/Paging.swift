/// A `limit`/`offset` pair with the documented defaults; their bounds are checked against the OpenAPI document
/// before a handler runs (see `ParameterRules`).
struct Paging: Equatable, Sendable {
    static let defaultLimit = 100

    let limit: Int
    let offset: Int

    init(limit: Int64?, offset: Int64?) {
        self.limit = limit.map { Int($0) } ?? Self.defaultLimit
        self.offset = offset.map { Int($0) } ?? 0
    }
}
