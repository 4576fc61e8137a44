import TaskAPIContract

/// The JSON of the hottest answers, and of the server's own (`CannedAnswer`), written straight into bytes: the
/// same bytes as the generated code's `JSONEncoder` (sorted keys, slashes not escaped; `TaskJSONTests` compares
/// them), at a fifth of its cost for a 100-task page (docs/benchmarks.md).
struct TaskJSON {
    private(set) var bytes: [UInt8] = []

    /// `[task, ...]`, as `GET /tasks` answers.
    static func list(_ tasks: [TaskResource]) -> [UInt8] {
        var json = TaskJSON()
        json.bytes.reserveCapacity(64 + tasks.count * 224)
        json.bytes.append(UInt8(ascii: "["))
        for (index, task) in tasks.enumerated() {
            if index > 0 { json.bytes.append(UInt8(ascii: ",")) }
            json.write(task)
        }
        json.bytes.append(UInt8(ascii: "]"))
        return json.bytes
    }

    /// One task, as `GET /tasks/{task_id}` answers.
    static func task(_ task: TaskResource) -> [UInt8] {
        var json = TaskJSON()
        json.bytes.reserveCapacity(256)
        json.write(task)
        return json.bytes
    }

    /// `{"detail": ...}`, the `HTTPError` schema.
    static func error(_ error: Components.Schemas.HTTPError) -> [UInt8] {
        var json = TaskJSON()
        json.raw(#"{"detail":"#)
        json.string(error.detail)
        json.raw("}")
        return json.bytes
    }

    /// The `Task` schema's keys in sorted order, as `TaskResource.encode(to:)` names them.
    private mutating func write(_ task: TaskResource) {
        raw(#"{"completed":"#)
        raw(task.completed ? "true" : "false")
        raw(#","created_at":"#)
        string(ISO8601Dates.format(task.createdAt))
        raw(#","description":"#)
        if let description = task.description { string(description) } else { raw("null") }
        raw(#","id":"#)
        raw(String(task.id))
        raw(#","owner_id":"#)
        raw(String(task.ownerID))
        raw(#","title":"#)
        string(task.title)
        raw(#","updated_at":"#)
        string(ISO8601Dates.format(task.updatedAt))
        raw("}")
    }

    private mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// A JSON string as swift-foundation writes it: `"` and `\` escaped, control characters as `\b \t \n \f \r`
    /// or `\u00xx`, everything else (slashes and non-ASCII included) as its UTF-8.
    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices where utf8[index] < 0x20 || utf8[index] == 0x22 || utf8[index] == 0x5C {
                bytes.append(contentsOf: utf8[start..<index])
                escape(utf8[index])
                start = index + 1
            }
            bytes.append(contentsOf: utf8[start...])
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x22, 0x5C: bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        default:
            let hex = Self.hexDigits
            bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        }
    }
}
