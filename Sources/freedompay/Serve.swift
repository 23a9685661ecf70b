import ArgumentParser
import Foundation
import FreedomPayCore
import FreedomPayServer
import Hummingbird
import Logging
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (embedded SQLite in the data folder).")

    @OptionGroup var data: DataOptions

    @Option(help: "Address to bind. Env: FREEDOMPAY_HOST")
    var host: String = Environment.string("FREEDOMPAY_HOST") ?? "127.0.0.1"

    @Option(help: "Port to listen on. Env: FREEDOMPAY_PORT")
    var port: Int = Environment.int("FREEDOMPAY_PORT") ?? 8080

    @Option(help: "Base URL used in links handed out (hosted pages). Env: FREEDOMPAY_PUBLIC_URL")
    var publicURL: String? = Environment.string("FREEDOMPAY_PUBLIC_URL")

    @Option(help: "Log level: trace, debug, info, notice, warning, error. Env: FREEDOMPAY_LOG_LEVEL")
    var logLevel: String = Environment.string("FREEDOMPAY_LOG_LEVEL") ?? "info"

    @Option(help: "Per-credential budget <requests>/<seconds>, e.g. 100/60 (off by default). Env: FREEDOMPAY_RATE_LIMIT")
    var rateLimit: String? = Environment.string("FREEDOMPAY_RATE_LIMIT")

    @OptionGroup var devtools: DevToolOptions

    func run() async throws {
        FreedomPayMetrics.bootstrap()
        StructuredLogging.bootstrap(devtools.logFormat, level: Logger.Level(rawValue: logLevel) ?? .info)
        var logger = Logger(label: "freedompay")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var configuration = ServerConfiguration(
            host: host, port: port, dataDirectory: data.data, sandbox: data.sandbox, encryptionKey: data.encryptionKey,
            publicBaseURL: publicURL)
        configuration.postgresURL = data.postgres
        do { configuration.rateLimit = try RateLimit.parse(rateLimit ?? "") } catch { throw ValidationError(error.description) }
        configuration.failureInjection = try devtools.rules()
        let clock: any FreedomPayCore.Clock = configuration.sandbox ? SandboxClockFile.clock(configuration) : SystemClock()
        let services = try await FreedomPayApplication.makeServices(configuration: configuration, clock: clock, logger: logger)
        if let credentials = try await SandboxBootstrap.demoCredentials(services: services) {
            FileHandle.standardOutput.write(Data("""
                FreedomPay sandbox on \(configuration.baseURL)
                  Card API / Partner API: auth_id=\(credentials.authID ?? "") secret=\(credentials.secret ?? "")
                  Merchant API: merchant_id=\(credentials.merchantID ?? "") payment_secret=\(credentials.paymentSecret ?? "") payout_secret=\(credentials.payoutSecret ?? "")
                  (also in \(configuration.credentialsFilePath))

                """.utf8))
        }
        let app = FreedomPayApplication.makeApplication(services: services)
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        try await services.store.close()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema, then exit.")

    @OptionGroup var data: DataOptions

    func run() async throws {
        let services = try await Provisioning.services(data)
        try await services.store.close()
        print("schema up to date in \(data.data)")
    }
}
