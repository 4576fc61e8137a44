import Vapor

/// Finds the methods routed for a path, so a known path with the wrong method gets 405 rather than 404.
struct MethodMatcher {
    let routes: Routes

    /// The methods that do serve this path, or nil when none does (a plain 404).
    func otherMethods(for request: Request) -> [HTTPMethod]? {
        let segments = request.url.path.split(separator: "/").map(String.init)
        let methods = routes.all.filter { matches($0.path, segments) }.map(\.method)
        guard !methods.isEmpty, !methods.contains(request.method) else { return nil }
        return methods.sorted { $0.rawValue < $1.rawValue }
    }

    private func matches(_ pattern: [PathComponent], _ segments: [String]) -> Bool {
        if case .catchall = pattern.last { return segments.count >= pattern.count - 1 }
        guard pattern.count == segments.count else { return false }
        return zip(pattern, segments).allSatisfy { component, segment in
            switch component {
            case .constant(let constant): constant == segment
            case .parameter, .anything, .catchall: true
            }
        }
    }
}
