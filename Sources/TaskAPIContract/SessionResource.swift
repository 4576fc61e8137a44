import Foundation

/// The `Session` schema's wire type, hand-written for the same reason as `TaskResource`: an unknown `user_agent`
/// is sent as `null`, as the schema requires, where a generated struct would leave it out.
public struct SessionResource: Codable, Hashable, Sendable {
    public var id: String
    public var createdAt: Date
    public var lastUsedAt: Date
    public var userAgent: String?
    public var current: Bool

    public init(id: String, createdAt: Date, lastUsedAt: Date, userAgent: String?, current: Bool) {
        self.id = id
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.userAgent = userAgent
        self.current = current
    }

    enum CodingKeys: String, CodingKey {
        case id, current
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case userAgent = "user_agent"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
        try container.encode(userAgent, forKey: .userAgent)
        try container.encode(current, forKey: .current)
    }
}
