import RetryCore

/// Starts helper threads with pthread_create, so that a thread that cannot
/// be made is an error `retry` can report. Foundation's `Thread` gives no
/// sign of failure, and Dispatch retries for ever once a limit (`ulimit -u`,
/// `ulimit -v`) is reached, which left `retry` hanging.
enum SystemThread {
    /// Small on purpose: the default is the whole `ulimit -s` (8 MiB),
    /// which under `ulimit -v` runs out of address space after a few threads.
    static let stackSize = 1 << 20

    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Runs `body` on a new detached thread, or throws why none could start.
    static func start(_ body: @escaping () -> Void) throws(Errno) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { context in
            let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
            body.run()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            throw Errno(result)
        }
    }

    /// Whether a thread can be made now (one is made and joined); the
    /// error when not. Foundation's `Process` makes one thread on its first
    /// `run()` and waits for it without a deadline: when none can be made
    /// (`ulimit -u`), it would wait for ever, so this is asked first.
    /// The thread is made as Foundation makes its own, with the default
    /// stack (the whole `ulimit -s`), which is what `ulimit -v` refuses.
    static func check() throws(Errno) {
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { _ in nil }, nil)
        guard result == 0 else { throw Errno(result) }
        pthread_join(thread, nil)
    }
}
