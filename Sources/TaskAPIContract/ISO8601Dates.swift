import Foundation
import OpenAPIRuntime

/// ISO 8601 UTC dates in whole seconds (`2026-11-25T01:02:03Z`), byte for byte as swift-foundation's `.iso8601`
/// format style writes them (`ISO8601DatesTests`). The runtime's default goes through ICU's date formatter behind a
/// lock, which took a tenth of the time of serving a 100-task page; the format style then still took 9% of it, so
/// the common years are written by hand.
public struct ISO8601Dates: DateTranscoder {
    public init() {}

    public func encode(_ date: Date) throws -> String {
        Self.format(date)
    }

    public func decode(_ text: String) throws -> Date {
        try Date.ISO8601FormatStyle().parse(text)
    }

    public static func format(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (day, second) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
        let (year, month, dayOfMonth) = civilDate(daysSince1970: day)
        // Before the Gregorian reform the format style counts in the Julian calendar, and past 9999 it widens.
        guard (1600...9999).contains(year) else { return date.formatted(.iso8601) }
        return String(unsafeUninitializedCapacity: 20) { text in
            func put(_ value: Int64, digits: Int, at offset: Int) {
                var value = value
                for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, digits: 4, at: 0)
            text[4] = UInt8(ascii: "-")
            put(month, digits: 2, at: 5)
            text[7] = UInt8(ascii: "-")
            put(dayOfMonth, digits: 2, at: 8)
            text[10] = UInt8(ascii: "T")
            put(second / 3600, digits: 2, at: 11)
            text[13] = UInt8(ascii: ":")
            put(second / 60 % 60, digits: 2, at: 14)
            text[16] = UInt8(ascii: ":")
            put(second % 60, digits: 2, at: 17)
            text[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// The Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
