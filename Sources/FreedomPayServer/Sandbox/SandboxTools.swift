import FreedomPayCore

/// Developer tools that live in the server process rather than in the store: the callback relay of
/// `freedompay listen` and the failure-injection rules. One instance per `AppServices`.
public final class SandboxTools: Sendable {
    public let relay: CallbackRelay
    public let injection: FailureInjectionRules

    public init(configuration: ServerConfiguration) {
        self.relay = CallbackRelay(replyTimeoutMs: configuration.callbackTimeoutMs)
        self.injection = FailureInjectionRules(configuration.sandbox ? configuration.failureInjection : [])
    }
}
