import Foundation
import Testing
import VaporTesting

@testable import TaskAPI

/// What the HTTP server itself does, on a real listening socket: the limits no route sees.
@Suite struct HTTPServerTests {
    private static let health = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    private func withServer(
        adjust: @escaping (inout Settings) -> Void = { _ in }, _ test: (URL) async throws -> Void
    ) async throws {
        try await withTestApp(.sqlite, adjust: adjust) { app in try await withListeningServer(app, test) }
    }

    @Test func headersOverSixteenKibibytesAre431AtAnySize() async throws {
        try await withServer { url in
            for size in [16 * 1024 + 64, 200 * 1024] {
                let connection = try await RawConnection.open(url)
                try await connection.send(
                    "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: \(String(repeating: "a", count: size))\r\n\r\n"
                )
                #expect(
                    await connection.statusLine(within: .seconds(5)) == "HTTP/1.1 431 Request Header Fields Too Large")
                #expect(await connection.closed(within: .seconds(5)) != nil)
                #expect(connection.text.hasSuffix(#"{"detail":"Request headers are larger than 16384 bytes"}"#))
            }
            let padded = try await sendOverWire(
                .GET, url, "/health", headers: ["X-Padding": String(repeating: "a", count: 15 * 1024)])
            #expect(padded.status == .ok)
        }
    }

    @Test func aMalformedRequestIs400() async throws {
        try await withServer { url in
            let connection = try await RawConnection.open(url)
            try await connection.send("GET /health HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n")
            #expect(await connection.statusLine(within: .seconds(5)) == "HTTP/1.1 400 Bad Request")
            #expect(connection.text.hasSuffix(#"{"detail":"Malformed HTTP request"}"#))
            #expect(await connection.closed(within: .seconds(5)) != nil)
        }
    }

    @Test func aClientThatStopsSendingAfterItsRequestsStillGetsEveryAnswer() async throws {
        try await withServer { url in
            // A request, then the client's FIN (`shutdown(SHUT_WR)`), as `nc -N` and some HTTP/1.0 clients send.
            let single = try await RawConnection.open(url)
            try await single.send(Self.health)
            try await single.finishSending()
            #expect(await single.statusLine(within: .seconds(5)) == "HTTP/1.1 200 OK")
            #expect(await single.closed(within: .seconds(5)) != nil)

            // Two pipelined requests, the second with a body, then the FIN: both are answered, in order.
            let body = #"{"username":"halfclosed","password":"pass-word-1"}"#
            let pipelined = try await RawConnection.open(url)
            try await pipelined.send(
                Self.health + "POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            try await pipelined.finishSending()
            #expect(await pipelined.closed(within: .seconds(5)) != nil)
            // A body is not followed by a line break, so each answer is found by its status line's start.
            let statusLines = pipelined.text.components(separatedBy: "HTTP/1.1 ").dropFirst()
                .map { "HTTP/1.1 " + $0.components(separatedBy: "\r\n")[0] }
            #expect(statusLines == ["HTTP/1.1 200 OK", "HTTP/1.1 201 Created"])
        }
    }

    @Test func headersSentAByteAtATimeAreCutOffAtTheHeaderTimeout() async throws {
        try await withServer(adjust: { $0.resilience.headerTimeout = .seconds(1) }) { url in
            let connection = try await RawConnection.open(url)
            try await connection.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            // One byte every 200 ms: the connection is never idle, so only the header deadline can close it.
            await connection.drip(String(repeating: "a", count: 50), every: .milliseconds(200), limit: .seconds(6))
            let closedAfter = try #require(await connection.closed(within: .seconds(6)))
            #expect(closedAfter >= .milliseconds(900) && closedAfter < .seconds(3))
            #expect(connection.text.isEmpty)
        }
    }

    @Test func anIdleKeepAliveConnectionOutlivesTheHeaderTimeout() async throws {
        try await withServer(adjust: { $0.resilience.headerTimeout = .seconds(1) }) { url in
            let connection = try await RawConnection.open(url)
            try await connection.send(Self.health)
            #expect(await connection.statusLine(within: .seconds(5)) == "HTTP/1.1 200 OK")
            try await Task.sleep(for: .milliseconds(1_500))
            #expect(connection.isOpen)
            connection.forget()
            try await connection.send(Self.health)
            #expect(await connection.statusLine(within: .seconds(5)) == "HTTP/1.1 200 OK")
            await connection.close()
        }
    }

    @Test func connectionsPastTheCapGet503AndTheCapFreesWhenOneCloses() async throws {
        try await withServer(adjust: { $0.resilience.maximumConnections = 2 }) { url in
            var served: [RawConnection] = []
            for _ in 0..<2 {
                let connection = try await RawConnection.open(url)
                try await connection.send(Self.health)
                #expect(await connection.statusLine(within: .seconds(5)) == "HTTP/1.1 200 OK")
                served.append(connection)
            }
            let refused = try await RawConnection.open(url)
            // The answer comes without waiting for the request, and the server may have closed its side already.
            try? await refused.send(Self.health)
            #expect(await refused.statusLine(within: .seconds(5)) == "HTTP/1.1 503 Service Unavailable")
            #expect(await refused.closed(within: .seconds(5)) != nil)
            #expect(refused.text.lowercased().contains("retry-after: 1\r\n"))
            #expect(refused.text.hasSuffix(#"{"detail":"Too many open connections: try again shortly"}"#))
            // The served connections were not disturbed.
            served[0].forget()
            try await served[0].send(Self.health)
            #expect(await served[0].statusLine(within: .seconds(5)) == "HTTP/1.1 200 OK")

            await served[1].close()
            var status: String?
            for _ in 0..<50 where status != "HTTP/1.1 200 OK" {
                let next = try await RawConnection.open(url)
                try await next.send(Self.health)
                status = await next.statusLine(within: .seconds(5))
                await next.close()
                if status != "HTTP/1.1 200 OK" { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(status == "HTTP/1.1 200 OK", "a place frees up when a connection closes")
            await served[0].close()
        }
    }

    @Test func aChunkedBodyOverTheLimitIs413AndTheConnectionCloses() async throws {
        try await withServer { url in
            let connection = try await RawConnection.open(url)
            let chunk = String(repeating: " ", count: 64 * 1024)
            let chunks = String(repeating: "10000\r\n\(chunk)\r\n", count: 17)
            try await connection.send(
                "POST /auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n\(chunks)")
            #expect(await connection.statusLine(within: .seconds(5)) == "HTTP/1.1 413 Payload Too Large")
            #expect(await connection.closed(within: .seconds(5)) != nil)
        }
    }

    @Test func aBodyDeclaredOverTheLimitIs413BeforeItIsSent() async throws {
        try await withServer { url in
            let connection = try await RawConnection.open(url)
            try await connection.send(
                "POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(Settings.maximumBodyBytes + 1)\r\n\r\n")
            #expect(await connection.statusLine(within: .seconds(5)) == "HTTP/1.1 413 Payload Too Large")
            #expect(await connection.closed(within: .seconds(5)) != nil)
        }
    }

    @Test func aBodySentInChunksReachesTheRouteWholeAndItsAnswerHasALength() async throws {
        try await withServer { url in
            let connection = try await RawConnection.open(url)
            try await connection.send(
                "POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n")
            // Split inside a key and a value, each part in a write of its own.
            for part in [#"{"userna"#, #"me":"chunky","pass"#, #"word":"pass-word-1"}"#] {
                try await connection.send(String(part.utf8.count, radix: 16) + "\r\n" + part + "\r\n")
            }
            try await connection.send("0\r\n\r\n")
            try await connection.finishSending()
            #expect(await connection.closed(within: .seconds(5)) != nil)
            let parts = connection.text.components(separatedBy: "\r\n\r\n")
            try #require(parts.count == 2)
            let (head, body) = (parts[0], parts[1])
            #expect(head.hasPrefix("HTTP/1.1 201 Created"))
            #expect(head.contains("content-length: \(body.utf8.count)\r\n"))
            #expect(!head.lowercased().contains("transfer-encoding"))
            #expect(body.hasSuffix(#""username":"chunky"}"#))
        }
    }

    @Test func theDateHeaderIsTheCurrentTimeInHTTPsFormat() throws {
        let text = ResponseDate.current()
        #expect(text.wholeMatch(of: /[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT/) != nil, "\(text)")
        let date = try #require(Date(rfc1123: text))
        #expect(abs(date.timeIntervalSinceNow) < 2)
    }

    @Test func theDateHeaderIsWrittenAsVaporsFormatterWritesIt() {
        var generator = SystemRandomNumberGenerator()
        let edges: [time_t] = [0, 951_782_400, 951_868_799, 4_102_444_799]
        for seconds in edges + (0..<5_000).map({ _ in time_t.random(in: 0...4_102_444_800, using: &generator) }) {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(ResponseDate.format(seconds) == date.rfc1123, "\(seconds)")
        }
    }

    @Test func theCapFitsUnderTheOpenFileLimit() {
        #expect(ConnectionCap.fitting(configured: 10_000, openFiles: 1_048_576, reserved: 72) == 10_000)
        #expect(ConnectionCap.fitting(configured: 10_000, openFiles: 1024, reserved: 72) == 952)
        #expect(ConnectionCap.fitting(configured: 10_000, openFiles: nil, reserved: 72) == 10_000)
        #expect(ConnectionCap.fitting(configured: 10_000, openFiles: 50, reserved: 72) == 1)
    }

    @Test func theOpenFileLimitIsRaisedToItsHardLimit() throws {
        var limit = rlimit()
        try #require(getrlimit(OpenFileLimit.resource, &limit) == 0)
        let original = limit
        defer {
            var restored = original
            setrlimit(OpenFileLimit.resource, &restored)
        }
        // Lowered, though well above what the other tests running meanwhile hold open.
        limit.rlim_cur = max(limit.rlim_max / 2, min(limit.rlim_max, 4096))
        try #require(setrlimit(OpenFileLimit.resource, &limit) == 0)
        #expect(OpenFileLimit.raiseToHardLimit() == Int(exactly: original.rlim_max))
        try #require(getrlimit(OpenFileLimit.resource, &limit) == 0)
        #expect(limit.rlim_cur == limit.rlim_max)
    }

    @Test func aCapBeyondTheOpenFileLimitIsLoweredAndSaidSoAtStartUp() async throws {
        let capture = LogCapture()
        let adjust: (inout Settings) -> Void = {
            $0.resilience.maximumConnections = 1_000_000
            $0.logLevel = .warning
        }
        try await withTestApp(.sqlite, adjust: adjust, logger: capture.logger(format: .text)) { app in
            try await withListeningServer(app) { (url) async throws in
                #expect(try await sendOverWire(.GET, url, "/health").status == .ok)
            }
        }
        #expect(capture.all.contains { $0.contains("MAX_CONNECTIONS=1000000 does not fit") })
    }
}
