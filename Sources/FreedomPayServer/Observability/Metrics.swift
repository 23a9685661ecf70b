import Hummingbird
import Metrics
import Prometheus

/// Prometheus metrics through swift-metrics: request counts and latency per route (Hummingbird's
/// `MetricsMiddleware`), signature failures by scheme and reason, ledger postings, store batch sizes, callback attempts.
public enum FreedomPayMetrics {
    public static let registry = PrometheusCollectorRegistry()

    /// Installs the Prometheus backend for this process; later calls do nothing.
    public static func bootstrap() { _ = installed }

    private static let installed: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        MetricsSystem.bootstrap(factory)
    }()

    /// Counts a refused signature; `reason` is a short stable word, never the signature itself.
    static func signatureFailure(scheme: String, reason: String) {
        Counter(label: "freedompay_signature_failures_total", dimensions: [("scheme", scheme), ("reason", reason)]).increment()
    }

    /// Counts one callback attempt by kind and what came of it (`delivered`, `retry`, `given_up`), so retries
    /// and abandoned callbacks show up on a dashboard before a merchant complains.
    static func callbackAttempt(kind: String, outcome: String) {
        Counter(label: "freedompay_callback_attempts_total", dimensions: [("kind", kind), ("outcome", outcome)]).increment()
    }

    /// `GET /metrics` in the Prometheus text format.
    static func register(on router: Router<AppRequestContext>) {
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: .init(bytes: registry.emitToBuffer())))
        }
    }
}
