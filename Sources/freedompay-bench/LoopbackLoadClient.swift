import FreedomPayClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// The load generator's HTTP/1.1 client, as `wrk` works: one keep-alive connection per worker with one request in
/// flight, and each request (head, body, end) handed to the socket with one flush, so one `writev`.
///
/// AsyncHTTPClient flushes a request's head and its body separately: a POST costs the client two or three writes
/// and the server as many reads and wake-ups, a GET one. That made the signed debits pay for the client more than
/// the empty GET route they are compared with (BENCHMARKS.md, session 8). Only the timed phases use this client;
/// provisioning goes through the SDK's client.
final class LoopbackLoadClient: Sendable {
    private let channels: [any Channel]
    private let host: String

    private init(channels: [any Channel], host: String) {
        self.channels = channels
        self.host = host
    }

    /// Opens `connections` connections to `host:port` on NIO's shared event loops (the server's as well).
    static func connect(host: String, port: Int, connections: Int) async throws -> LoopbackLoadClient {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ExchangeHandler())
                }
            }
        var channels: [any Channel] = []
        for _ in 0..<connections {
            channels.append(try await bootstrap.connect(host: host, port: port).get())
        }
        return LoopbackLoadClient(channels: channels, host: "\(host):\(port)")
    }

    /// Sends `request` (its URL's path and query are used) on connection `connection % connections`, which must
    /// have no other request in flight, and returns the status and body.
    func send(_ request: TransportRequest, on connection: Int) async throws -> TransportResponse {
        let channel = channels[connection % channels.count]
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: Self.target(of: request.url))
        head.headers.add(name: "Host", value: host)
        for (name, value) in request.headers { head.headers.add(name: name, value: value) }
        if !request.body.isEmpty || request.method != "GET" { head.headers.add(name: "Content-Length", value: String(request.body.count)) }
        let promise = channel.eventLoop.makePromise(of: Exchange.Answer.self)
        let body = request.body.isEmpty ? nil : channel.allocator.buffer(bytes: request.body)
        channel.writeAndFlush(Exchange(head: head, body: body, answer: promise), promise: nil)
        let answer = try await promise.futureResult.get()
        return TransportResponse(status: answer.status, headers: [], body: Array(answer.body.readableBytesView))
    }

    func close() async {
        for channel in channels { try? await channel.close() }
    }

    /// The request target of an absolute URL: path and query.
    private static func target(of url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let afterAuthority = url[scheme.upperBound...].firstIndex(of: "/") ?? url.endIndex
        let target = String(url[afterAuthority...])
        return target.isEmpty ? "/" : target
    }
}

/// One request and where its answer goes.
private struct Exchange: Sendable {
    struct Answer: Sendable {
        var status: Int
        var body: ByteBuffer
    }

    var head: HTTPRequestHead
    var body: ByteBuffer?
    var answer: EventLoopPromise<Answer>
}

/// Writes an exchange's request in one flush and completes it with the response that follows.
private final class ExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Exchange
    typealias OutboundOut = HTTPClientRequestPart

    private var pending: EventLoopPromise<Exchange.Answer>?
    private var status = 0
    private var body = ByteBuffer()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard pending == nil else {
            exchange.answer.fail(ChannelError.inappropriateOperationForState)
            return
        }
        pending = exchange.answer
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let body = exchange.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            let answer = Exchange.Answer(status: status, body: body)
            body = ByteBuffer()
            pending.take()?.succeed(answer)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        pending.take()?.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending.take()?.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }
}
