import Foundation
import FreedomPayCore
import FreedomPayStore
import FreedomPayWire
import Hummingbird
import Logging
import NIOCore

/// Assembles the server: store, migrations, keys, sandbox credentials and the router of all three APIs.
public enum FreedomPayApplication {
    /// Opens the store (PostgreSQL when configured, else SQLite in the data folder), applies migrations
    /// and loads the encryption key.
    public static func makeServices(
        configuration: ServerConfiguration, clock: any Clock = SystemClock(), logger: Logger
    ) async throws -> AppServices {
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        let secrets = SecretBox(current: try DataFolder.encryptionKey(configuration))
        let store: any Store
        if let url = configuration.postgresURL, !url.isEmpty {
            store = try PostgresStore(url: url, logger: logger)
        } else {
            store = try SQLiteStore(path: configuration.databasePath)
        }
        try await Schema.migrate(store)
        return AppServices(store: store, secrets: secrets, clock: clock, configuration: configuration, logger: logger)
    }

    public static func makeRouter(services: AppServices) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestIDHeaderMiddleware())
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: InFlightLimitMiddleware(limit: services.configuration.maxInFlightRequests))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: PostOnlyGuard())
        router.add(middleware: FailureInjectionMiddleware(services: services))
        FreedomPayMetrics.register(on: router)
        OpenAPIDocument.register(on: router)
        APIDocsPage.register(on: router)
        router.get("status/healthcheck") { _, _ in
            JSONBody.response(["status": "ok", "time": WireDate.rfc3339(services.clock.now())])
        }
        CardAPIRoutes(services: services).register(on: router)
        GiftCardRoutes(services: services).register(on: router)
        SandboxRoutes(services: services).register(on: router)
        PartnerAPIRoutes(services: services).register(on: router)
        MerchantAPIRoutes(services: services).register(on: router)
        DashboardRoutes(services: services).register(on: router)
        return router
    }

    public static func makeApplication(services: AppServices) -> some ApplicationProtocol {
        Application(
            router: makeRouter(services: services),
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(services.configuration.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(services.configuration.host, port: services.configuration.port),
                                 serverName: "FreedomPay-Swift"),
            services: [CallbackDispatcher(services: services, effects: CallbackDispatcher.effects(services)), PurchaseSweeper(services: services), PayoutSweeper(services: services),
                       LedgerHistoryIndexing(services: services)],
            logger: services.logger)
    }
}

/// Logs one line per request with method, path, status and duration; never bodies or signature headers.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, start: start)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context, status: error.status.code, start: start)
            throw error
        } catch {
            context.logger.error("unhandled error", metadata: ["path": "\(request.uri.path)", "error": "\(String(describing: type(of: error)))"])
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("request", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(status)",
            "latency_ms": "\(Int(milliseconds.rounded()))",
        ])
    }
}
