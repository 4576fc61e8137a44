import Foundation
import OpenAPIRuntime

/// ISO 8601 UTC dates (`2026-11-25T01:02:03Z`) through swift-foundation's format style. The runtime's default goes
/// through ICU's date formatter behind a lock, which took a tenth of the time of serving a 100-task page.
struct ISO8601Dates: DateTranscoder {
    func encode(_ date: Date) throws -> String {
        date.formatted(.iso8601)
    }

    func decode(_ text: String) throws -> Date {
        try Date.ISO8601FormatStyle().parse(text)
    }
}
