import Foundation
import TaskAPIContract
import Testing

/// The hand-written date writer must give exactly what swift-foundation's `.iso8601` format style gives.
@Suite struct ISO8601DatesTests {
    @Test func writesWhatTheFormatStyleWrites() {
        var generator = SystemRandomNumberGenerator()
        let edges: [TimeInterval] = [
            0, -0.5, -1, 59.999, 86_399.999, 951_782_400, 951_868_799.5, 1_709_164_800, 4_102_444_799,
            -30_610_224_000, -11_676_096_000, 253_402_300_799, 253_402_300_800, -62_135_596_800,
        ]
        // From 1900 to 2200, with fractions of a second.
        let random = (0..<200_000).map { _ in Double.random(in: -2_208_988_800...7_258_118_400, using: &generator) }
        for interval in edges + random {
            let date = Date(timeIntervalSince1970: interval)
            #expect(ISO8601Dates.format(date) == date.formatted(.iso8601), "\(interval)")
        }
    }

    @Test func readsWhatItWrites() throws {
        let date = Date(timeIntervalSince1970: 1_764_032_523)
        #expect(try ISO8601Dates().decode(try ISO8601Dates().encode(date)) == date)
    }

    @Test func aTaskWritesItsDatesAsTheTranscoderDoesWhateverTheEncodersStrategy() throws {
        let task = TaskResource(
            id: 1, title: "t", description: nil, completed: false, ownerID: 2,
            createdAt: Date(timeIntervalSince1970: 1_764_032_523),
            updatedAt: Date(timeIntervalSince1970: 1_764_032_524.9))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for strategy in [JSONEncoder.DateEncodingStrategy.deferredToDate, .secondsSince1970] {
            encoder.dateEncodingStrategy = strategy
            #expect(
                String(decoding: try encoder.encode(task), as: UTF8.self)
                    == #"{"completed":false,"created_at":"2025-11-25T01:02:03Z","description":null,"id":1,"#
                    + #""owner_id":2,"title":"t","updated_at":"2025-11-25T01:02:04Z"}"#)
        }
    }
}
