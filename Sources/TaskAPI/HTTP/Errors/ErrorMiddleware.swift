import Foundation
import OpenAPIRuntime
import TaskAPIContract
import Vapor

/// Turns every error into FastAPI's JSON shape: `{"detail": "..."}`, or a list of field errors for 422.
/// A database that cannot serve gives 503 with `Retry-After`. Unexpected errors become a bare 500, logged with the
/// request id, and never leak their text.
struct ErrorMiddleware: Middleware {
    let routes: Routes
    let outage: DatabaseOutage

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).recover { error in response(for: error, to: request) }
    }

    private func response(for error: any Error, to request: Request) -> Response {
        let serverError = error as? ServerError
        switch serverError?.underlyingError ?? error {
        case let error as APIError:
            return Self.json(error.status, Components.Schemas.HTTPError(detail: error.detail), headers: error.headers)
        case let error where DatabaseUnavailable.matches(error):
            // Logged once per outage by `DatabaseOutage`, not once per request.
            outage.recordFailure(error)
            ServiceMetrics.databaseFailure()
            return Self.json(
                .serviceUnavailable, Components.Schemas.HTTPError(detail: "Service Unavailable"),
                headers: ["Retry-After": "1"])
        case let refusal as ThrottleRefusal:
            return Self.json(
                .tooManyRequests, Components.Schemas.HTTPError(detail: refusal.detail),
                headers: ["Retry-After": String(refusal.retryAfter)])
        case let failure as ValidationFailure:
            return Self.validationResponse(failure)
        case let error as DecodingError:
            // Parameters were checked before decoding, so what fails to decode here is the body.
            let bodyIsEmpty = (request.body.data?.readableBytes ?? 0) == 0
            let violation = bodyIsEmpty ? FieldViolation(path: [], "Field required", kind: "missing") : error.violation
            return Self.validationResponse(ValidationFailure(in: .body, [violation]))
        case let abort as any AbortError where abort.status == .notFound && serverError == nil:
            if let allowed = MethodMatcher(routes: routes).otherMethods(for: request) {
                return response(for: APIError.methodNotAllowed(allowed: allowed), to: request)
            }
            return Self.json(.notFound, Components.Schemas.HTTPError(detail: "Not Found"), headers: abort.headers)
        case let abort as any AbortError where abort.status.code < 500:
            return Self.json(abort.status, Components.Schemas.HTTPError(detail: abort.reason), headers: abort.headers)
        default:
            // The runtime's own 4xx (unsupported media type, unacceptable Accept) keep their status and cause.
            if let serverError, (400..<500).contains(serverError.httpStatus.code) {
                return Self.json(
                    HTTPResponseStatus(statusCode: serverError.httpStatus.code),
                    Components.Schemas.HTTPError(detail: serverError.causeDescription))
            }
            // The response's X-Request-ID (RequestIDMiddleware) matches this line's request-id.
            request.logger.report(error: error)
            return Self.json(.internalServerError, Components.Schemas.HTTPError(detail: "Internal Server Error"))
        }
    }

    private static func validationResponse(_ failure: ValidationFailure) -> Response {
        let detail = failure.entries.map { entry in
            Components.Schemas.ValidationError(
                loc: ([entry.location.rawValue] + entry.violation.path).map { .init(value1: $0) },
                msg: entry.violation.message,
                _type: entry.violation.kind
            )
        }
        return json(.unprocessableEntity, Components.Schemas.HTTPValidationError(detail: detail))
    }

    private static let encoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static func json(_ status: HTTPResponseStatus, _ body: some Encodable, headers: HTTPHeaders = [:])
        -> Response
    {
        var headers = headers
        headers.replaceOrAdd(name: .contentType, value: "application/json")
        let data = (try? encoder.encode(body)) ?? Data(#"{"detail":"Internal Server Error"}"#.utf8)
        return Response(status: status, headers: headers, body: .init(data: data))
    }
}
