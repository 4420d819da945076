import HTTPTypes
import Hummingbird
import Logging

/// Headers on every response, errors included: no script anywhere, no framing, no referrer, no
/// sniffing, nothing cached. A thrown `HTTPError` becomes the Swedish error page here, so that it
/// carries the same headers; anything else is logged and shown as a 500 without its details.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = PortalContext
    let pages: PortalPages

    static let headers: [(HTTPField.Name, String)] = [
        (
            .contentSecurityPolicy,
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        ),
        (HTTPField.Name("X-Frame-Options")!, "DENY"),
        (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
        (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
        (.cacheControl, "no-store"),
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where (300..<400).contains(error.status.code) {
            response = Response(status: error.status, headers: error.headers)
        } catch let error as HTTPError {
            response = PortalRoutes.page(
                pages, "error", status: error.status,
                ["title": error.status.reasonPhrase, "heading": Self.heading(error.status), "message": error.body ?? ""])
        } catch {
            context.logger.error("portal: \(String(describing: type(of: error))): \(error)")
            response = PortalRoutes.page(
                pages, "error", status: .internalServerError,
                ["title": "Fel", "heading": "Något gick fel", "message": "Försök igen om en stund. Felet är loggat."])
        }
        for (name, value) in Self.headers { response.headers[name] = value }
        return response
    }

    static func heading(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 403: "Åtkomst nekad"
        case 404: "Sidan finns inte"
        case 429: "För många försök"
        default: "Något gick fel"
        }
    }
}
