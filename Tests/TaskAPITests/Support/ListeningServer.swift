import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import VaporTesting

@testable import TaskAPI

/// Serves `app` on 127.0.0.1 on an ephemeral port (so requests arrive from a real peer address), hands `test` its
/// base URL, and always stops the server.
func withListeningServer(_ app: Application, _ test: (URL) async throws -> Void) async throws {
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    do {
        let port = try #require((app.server as? ServiceServer)?.localAddress?.port)
        try await test(URL(string: "http://127.0.0.1:\(port)")!)
    } catch {
        await app.server.shutdown()
        throw error
    }
    await app.server.shutdown()
}

/// A response from a listening server.
struct WireResponse {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let body: String

    var json: [String: Any] {
        get throws { try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) }
    }
}

/// Sends one request over TCP to a listening server.
func sendOverWire(
    _ method: HTTPMethod, _ url: URL, _ path: String, json: String? = nil, token: String? = nil,
    headers extra: HTTPHeaders = [:]
) async throws -> WireResponse {
    var request = HTTPClientRequest(url: url.absoluteString + path)
    request.method = method
    request.headers = extra
    if let json {
        request.headers.replaceOrAdd(name: .contentType, value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
    }
    if let token { request.headers.replaceOrAdd(name: .authorization, value: "Bearer \(token)") }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let body = try await response.body.collect(upTo: 1 << 20)
    return WireResponse(status: response.status, headers: response.headers, body: String(buffer: body))
}
