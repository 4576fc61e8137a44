import Foundation
import TaskAPIContract
import Testing

@testable import TaskAPI

/// `TaskJSON` must write exactly the bytes the generated code's encoder writes.
@Suite struct TaskJSONTests {
    /// The runtime's encoder as `configure` sets it up.
    static let encoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    @Test func everyScalarIsWrittenAsTheEncoderWritesIt() throws {
        // All of ASCII (every character that needs escaping is there), then samples of every UTF-8 length.
        let scalars =
            (0...0x7F).map { Unicode.Scalar(UInt8($0)) }
            + [0x80, 0xE9, 0x7FF, 0x800, 0x301, 0x2028, 0x2029, 0xFEFF, 0xFFFD, 0xFFFF, 0x1_0000, 0x1_F600, 0x10_FFFF]
            .compactMap(Unicode.Scalar.init)
        for scalar in scalars {
            let text = String(Character(scalar))
            let task = Self.task(title: text, description: "a\(text)b")
            #expect(TaskJSON.task(task) == Array(try Self.encoder.encode(task)), "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func randomPagesAreWrittenAsTheEncoderWritesThem() throws {
        var generator = SystemRandomNumberGenerator()
        let pool =
            Array(#"aZ09 "\/{}[]:,é中😀"#.unicodeScalars)
            + [0x00, 0x08, 0x0C, 0x1F, 0x7F, 0x301].compactMap(Unicode.Scalar.init)
        func text() -> String {
            String(
                String.UnicodeScalarView(
                    (0..<Int.random(in: 0...40, using: &generator)).map { _ in pool.randomElement(using: &generator)! })
            )
        }
        for _ in 0..<200 {
            let page = (0..<Int.random(in: 0...20, using: &generator)).map { _ in
                TaskResource(
                    id: Int64.random(in: .min ... .max, using: &generator), title: text(),
                    description: Bool.random(using: &generator) ? nil : text(),
                    completed: Bool.random(using: &generator),
                    ownerID: Int64.random(in: 1...Int64.max, using: &generator),
                    createdAt: Date(timeIntervalSince1970: .random(in: 0...4_102_444_800, using: &generator)),
                    updatedAt: Date(timeIntervalSince1970: .random(in: 0...4_102_444_800, using: &generator)))
            }
            #expect(TaskJSON.list(page) == Array(try Self.encoder.encode(page)))
        }
    }

    @Test func anErrorIsWrittenAsTheEncoderWritesIt() throws {
        for detail in ["Task not found", #"quote " and \ and / and "# + "\n\u{1}é"] {
            let error = Components.Schemas.HTTPError(detail: detail)
            #expect(TaskJSON.error(error) == Array(try Self.encoder.encode(error)))
        }
    }

    static func task(title: String, description: String?) -> TaskResource {
        TaskResource(
            id: 7, title: title, description: description, completed: true, ownerID: 3,
            createdAt: Date(timeIntervalSince1970: 1_764_032_523.25),
            updatedAt: Date(timeIntervalSince1970: 1_764_032_600))
    }
}
