import Crypto
import Foundation

extension String {
    /// The SHA-256 of the string's UTF-8, in lower-case hex: how refresh tokens and throttled usernames are keyed.
    var sha256Hex: String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(utf8)) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
