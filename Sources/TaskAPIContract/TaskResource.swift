import Foundation

/// The `Task` schema's wire type. It is hand-written (see openapi-generator-config.yaml) only so that a nil
/// `description` is sent as `null`, as FastAPI does; generated structs leave nil fields out. Its fields mirror the
/// schema in openapi.yaml one to one.
public struct TaskResource: Codable, Hashable, Sendable {
    public var id: Int64
    public var title: String
    public var description: String?
    public var completed: Bool
    public var ownerID: Int64
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, title: String, description: String?, completed: Bool, ownerID: Int64, createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.completed = completed
        self.ownerID = ownerID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, completed
        case ownerID = "owner_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        // An optional through the generic `encode` costs a nested encoder per task: half of this method's time in
        // a 100-task page's profile (docs/benchmarks.md).
        if let description {
            try container.encode(description, forKey: .description)
        } else {
            try container.encodeNil(forKey: .description)
        }
        try container.encode(completed, forKey: .completed)
        try container.encode(ownerID, forKey: .ownerID)
        // The dates go out as the strings the server's transcoder writes, whatever the encoder's date strategy:
        // the runtime's strategy reaches the transcoder through a nested encoder per date, and writing the strings
        // here took 5% off the CPU of a 100-task page (docs/benchmarks.md).
        try container.encode(ISO8601Dates.format(createdAt), forKey: .createdAt)
        try container.encode(ISO8601Dates.format(updatedAt), forKey: .updatedAt)
    }
}
