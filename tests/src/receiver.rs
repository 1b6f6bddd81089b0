//! A real webhook receiver on 127.0.0.1 for the callback tests: a plain HTTP/1.1 server on a std
//! `TcpListener` that records every request and answers from a script (e.g. 500 three times,
//! then 200; or 410; or a slow answer). It can be stopped and started again on the same port to
//! play a receiver that is down for a while.

use anyhow::{Context, Result};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How the receiver answers one request.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// Wait this long before answering (a slow receiver).
    pub delay: Duration,
}

impl Reply {
    pub fn status(status: u16) -> Reply {
        Reply { status, headers: Vec::new(), delay: Duration::ZERO }
    }

    pub fn slow(status: u16, delay: Duration) -> Reply {
        Reply { delay, ..Reply::status(status) }
    }
}

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The status it was answered with.
    pub answered: u16,
    /// When it arrived.
    pub at: std::time::Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

struct Shared {
    script: Mutex<VecDeque<Reply>>,
    /// How requests beyond the script are answered.
    otherwise: Reply,
    received: Mutex<Vec<Received>>,
}

/// A running receiver; dropping it stops it.
pub struct Receiver {
    pub port: u16,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Receiver {
    /// Starts on a free port; requests beyond the script are answered 200.
    pub fn start(script: Vec<Reply>) -> Result<Receiver> {
        Receiver::start_on(0, script)
    }

    /// Starts on a given port (0: any free port).
    pub fn start_on(port: u16, script: Vec<Reply>) -> Result<Receiver> {
        Receiver::start_with(port, script, Reply::status(200))
    }

    /// Starts on a free port and answers every request with `reply` (e.g. a receiver that never
    /// answers in time).
    pub fn start_answering(reply: Reply) -> Result<Receiver> {
        Receiver::start_with(0, Vec::new(), reply)
    }

    fn start_with(port: u16, script: Vec<Reply>, otherwise: Reply) -> Result<Receiver> {
        let shared =
            Arc::new(Shared { script: Mutex::new(script.into()), otherwise, received: Mutex::new(Vec::new()) });
        Receiver::listen(port, shared)
    }

    fn listen(port: u16, shared: Arc<Shared>) -> Result<Receiver> {
        let listener = TcpListener::bind(("127.0.0.1", port)).with_context(|| format!("binding 127.0.0.1:{port}"))?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (shared, stop) = (Arc::clone(&shared), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        let shared = Arc::clone(&shared);
                        // One thread per connection, so a slow answer does not hold up others.
                        std::thread::spawn(move || {
                            let _ = serve(stream, &shared);
                        });
                    }
                }
            })
        };
        Ok(Receiver { port, shared, stop, thread: Some(thread) })
    }

    /// The URL to register as a callback endpoint.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Every request so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Stops listening: connections are refused until [`Receiver::restart`].
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag and drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port)).map(|s| s.shutdown(Shutdown::Both));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Listens again on the same port, keeping what was received and the rest of the script.
    pub fn restart(self) -> Result<Receiver> {
        let (port, shared) = (self.port, Arc::clone(&self.shared));
        drop(self);
        Receiver::listen(port, shared)
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop();
    }
}

fn serve(stream: TcpStream, shared: &Shared) -> Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line)? == 0 {
        return Ok(()); // the wake-up connection of `stop`
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
            break;
        }
        if let Some((name, value)) = line.trim_end().split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let length = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    let reply = shared.script.lock().ok().and_then(|mut s| s.pop_front()).unwrap_or_else(|| shared.otherwise.clone());
    // Recorded before answering: a test polling for "n requests received" sees a slow request
    // as soon as it arrived.
    if let Ok(mut received) = shared.received.lock() {
        received.push(Received {
            method,
            path,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            answered: reply.status,
            at: std::time::Instant::now(),
        });
    }
    if !reply.delay.is_zero() {
        std::thread::sleep(reply.delay); // the behaviour under test (a slow receiver), not a wait
    }
    let mut out = format!("HTTP/1.1 {} Scripted\r\ncontent-length: 0\r\nconnection: close\r\n", reply.status);
    for (name, value) in &reply.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut stream = stream;
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.flush();
    Ok(())
}
