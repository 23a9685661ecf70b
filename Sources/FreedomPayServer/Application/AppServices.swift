import FreedomPayCore
import Logging

/// The shared, immutable dependencies of every handler.
public struct AppServices: Sendable {
    public let store: any Store
    public let credentials: CredentialsRepository
    public let requests: RequestRepository
    public let clock: any Clock
    public let configuration: ServerConfiguration
    public let logger: Logger
    /// Sandbox developer tools kept in memory (callback relay, failure injection).
    public let sandboxTools: SandboxTools
    /// Per-credential budgets, shared by every authenticator (`configuration.rateLimit`).
    let rateLimiter: CredentialRateLimiter

    public init(store: any Store, secrets: SecretBox, clock: any Clock = SystemClock(), configuration: ServerConfiguration, logger: Logger) {
        self.store = store
        self.credentials = CredentialsRepository(secrets: secrets, clock: clock)
        self.requests = RequestRepository()
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        self.sandboxTools = SandboxTools(configuration: configuration)
        self.rateLimiter = CredentialRateLimiter(limit: configuration.rateLimit)
    }
}
