import Foundation
import Logging

/// The service's log lines: readable text (the default) or one JSON object per line (`LOG_FORMAT=json`), with
/// credentials redacted. Levels below debug are raised to debug, because Vapor's trace lines print raw request
/// heads and bodies, tokens and passwords included. A database outage's per-request pool errors are lowered to
/// debug (see `DatabaseOutage`).
public struct ServiceLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    /// Where finished lines go.
    public typealias Sink = @Sendable (String) -> Void

    public static let standardOutput: Sink = { line in
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    public var metadata: Logger.Metadata = [:]
    private var level: Logger.Level
    private let label: String
    private let format: Format
    private let sink: Sink

    public init(
        label: String, level: Logger.Level = .info, format: Format = .text, sink: @escaping Sink = standardOutput
    ) {
        self.label = label
        self.level = max(level, .debug)
        self.format = format
        self.sink = sink
    }

    public var logLevel: Logger.Level {
        get { level }
        set { level = max(newValue, .debug) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The connection pool logs an error for every request it cannot serve during an outage: thousands of lines for
    /// one event, which `DatabaseOutage` reports once instead. These are lowered to debug.
    private static let perRequestPoolErrors = [
        "Opening new connection for pool failed", "Connection request timed out",
    ]

    public func log(event: LogEvent) {
        var event = event
        if event.level >= .warning, Self.perRequestPoolErrors.contains(where: event.message.description.hasPrefix) {
            guard level <= .debug else { return }
            event.level = .debug
        }
        let fields = LogRedaction.scrub(metadata.merging(event.metadata ?? [:]) { $1 })
        let message = LogRedaction.scrub(event.message.description)
        switch format {
        case .text: sink(Self.text(level: event.level, message: message, fields: fields))
        case .json: sink(Self.json(level: event.level, message: message, fields: fields, label: label))
        }
    }

    private static func text(level: Logger.Level, message: String, fields: Logger.Metadata) -> String {
        let suffix =
            fields.isEmpty
            ? "" : " [" + fields.sorted { $0.key < $1.key }.map { "\($0): \($1)" }.joined(separator: ", ") + "]"
        return "[ \(level.rawValue.uppercased()) ] \(message)\(suffix)"
    }

    private static func json(level: Logger.Level, message: String, fields: Logger.Metadata, label: String) -> String {
        var object: [String: Any] = [
            "time": Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
            "level": level.rawValue, "message": message, "logger": label,
        ]
        for (key, value) in fields {
            object[key == "request-id" ? "request_id" : key] = jsonValue(value)
        }
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
        return data.map { String(decoding: $0, as: UTF8.self) }
            ?? #"{"level":"error","message":"unencodable log line"}"#
    }

    private static func jsonValue(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible):
            (convertible as? Int).map { $0 as Any } ?? (convertible as? Double).map { $0 as Any }
                ?? convertible.description
        case .array(let values): values.map(jsonValue)
        case .dictionary(let metadata): metadata.mapValues(jsonValue)
        }
    }
}
