import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import LogFormatting
import Synchronization

/// The HTTP listener for `/metrics` (Prometheus), `/` (the status page) and `/status.json`.
/// GET and HEAD only; everything is rendered per request from `snapshot`. A client whose
/// address `admits` refuses gets 403 (a scraper then reports why, where a dropped connection
/// would look like a dead service).
public final class StatusHTTPServer: Sendable {
    private let metrics: MetricsRegistry
    private let snapshot: @Sendable () -> StatusSnapshot
    private let admits: @Sendable (String) -> Bool
    private let logger: Logger
    private let refusals = LogThrottle()
    private let channel = Mutex<(any Channel)?>(nil)

    /// `admits` is asked with each request's source address, as text.
    public init(metrics: MetricsRegistry, logger: Logger, admits: @escaping @Sendable (String) -> Bool = { _ in true },
                snapshot: @escaping @Sendable () -> StatusSnapshot) {
        self.metrics = metrics
        self.snapshot = snapshot
        self.admits = admits
        self.logger = logger
    }

    /// The bound port (useful with port 0).
    public var port: Int? { channel.withLock { $0?.localAddress?.port } }

    public func start(host: String, port: Int, group: any EventLoopGroup) async throws {
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 64)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(Handler(server: self))
                }
            }
            .bind(host: host, port: port).get()
        channel.withLock { $0 = server }
        logger.info("metrics and status page on http://\(host):\(server.localAddress?.port ?? port)/")
    }

    public func stop() async {
        if let server = channel.withLock({ $0 }) { try? await server.close() }
    }

    /// Status, content type and body for a path.
    func respond(to path: String) -> (HTTPResponseStatus, String, [UInt8]) {
        switch path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path {
        case "/metrics":
            return (.ok, "text/plain; version=0.0.4; charset=utf-8", metrics.exposition())
        case "/", "/index.html":
            return (.ok, "text/html; charset=utf-8", Array(StatusPage.html(snapshot()).utf8))
        case "/status.json":
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return (.ok, "application/json", (try? encoder.encode(snapshot())).map(Array.init) ?? Array("{}".utf8))
        default:
            return (.notFound, "text/plain; charset=utf-8", Array("not found: try /, /metrics or /status.json\n".utf8))
        }
    }

    private func refuse(_ source: String) -> (HTTPResponseStatus, String, [UInt8]) {
        if refusals.allows() { logger.warning("metrics: \(source) refused by apply-inbound-acl (logged at most every 10 s)") }
        return (.forbidden, "text/plain; charset=utf-8", Array("\(source) is not allowed by metrics.conf's apply-inbound-acl\n".utf8))
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let server: StatusHTTPServer
        private var request: HTTPRequestHead?

        init(server: StatusHTTPServer) {
            self.server = server
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                request = head
            case .body:
                break
            case .end:
                guard let head = request else { return }
                request = nil
                let source = context.channel.remoteAddress?.ipAddress ?? ""
                let (status, contentType, body) = !server.admits(source) ? server.refuse(source)
                    : head.method == .GET || head.method == .HEAD ? server.respond(to: head.uri)
                    : (.methodNotAllowed, "text/plain; charset=utf-8", Array("GET or HEAD only\n".utf8))
                var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.count)),
                                           ("Cache-Control", "no-store")])
                if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
                if status == .methodNotAllowed { headers.add(name: "Allow", value: "GET, HEAD") }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
                if head.method != .HEAD {
                    context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
                }
                let keepAlive = head.isKeepAlive
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                    if !keepAlive { context.close(promise: nil) }
                }
            }
        }
    }
}
