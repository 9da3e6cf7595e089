//! The connections the server holds: at most a fixed number, each with a deadline to send its request, and
//! when a new one needs a place, the one that has waited longest for a request is dropped for it. So clients
//! that open connections and send their requests slowly (slowloris) cannot lock anyone out.

use std::collections::HashMap;
use std::io::{self, Read};
use std::net::{Shutdown, TcpStream};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The connections of the server, by id.
pub struct Slots {
    max: usize,
    table: Mutex<Table>,
}

#[derive(Default)]
struct Table {
    next: u64,
    open: HashMap<u64, Slot>,
}

struct Slot {
    /// A handle to shut the connection down from another thread.
    stream: TcpStream,
    /// Since when it waits for a request; none while a response is sent or events stream.
    waiting_since: Option<Instant>,
}

impl Slots {
    pub fn new(max: usize) -> Slots {
        Slots { max, table: Mutex::new(Table::default()) }
    }

    /// Takes a new connection in, waiting for its request. When every place is taken, the connection that has
    /// waited longest for its request is shut down to make room; none when every place is sending a response.
    pub fn admit(&self, stream: &TcpStream) -> Option<u64> {
        let handle = stream.try_clone().ok()?;
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        if table.open.len() >= self.max {
            let (&oldest, _) =
                table.open.iter().filter_map(|(id, s)| Some((id, s.waiting_since?))).min_by_key(|(_, since)| *since)?;
            if let Some(slot) = table.open.remove(&oldest) {
                let _ = slot.stream.shutdown(Shutdown::Both);
            }
        }
        table.next += 1;
        let id = table.next;
        table.open.insert(id, Slot { stream: handle, waiting_since: Some(Instant::now()) });
        Some(id)
    }

    /// Marks a connection as waiting for a request (it may be dropped for a new one) or not.
    pub fn waiting(&self, id: u64, waiting: bool) {
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = table.open.get_mut(&id) {
            slot.waiting_since = waiting.then(Instant::now);
        }
    }

    pub fn leave(&self, id: u64) {
        self.table.lock().unwrap_or_else(|e| e.into_inner()).open.remove(&id);
    }

    #[cfg(test)]
    fn open(&self) -> usize {
        self.table.lock().unwrap_or_else(|e| e.into_inner()).open.len()
    }
}

/// Reads from a connection until a deadline, however slowly the bytes come; then fails with `TimedOut`.
pub struct Timed<'a> {
    stream: &'a TcpStream,
    pub deadline: Instant,
}

impl<'a> Timed<'a> {
    pub fn new(stream: &'a TcpStream, within: Duration) -> Timed<'a> {
        Timed { stream, deadline: Instant::now() + within }
    }
}

impl Read for Timed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        (&mut &*self.stream).read(buf)
    }
}

/// Whether a read failed because its time was up.
pub fn timed_out(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn pair(listener: &TcpListener) -> (TcpStream, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (client, listener.accept().unwrap().0)
    }

    #[test]
    fn a_new_connection_takes_the_place_of_the_longest_waiting() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let slots = Slots::new(2);
        let (mut slow, slow_server) = pair(&listener);
        let (_busy, busy_server) = pair(&listener);
        slots.admit(&slow_server).unwrap();
        let busy = slots.admit(&busy_server).unwrap();
        slots.waiting(busy, false);
        let (_new, new_server) = pair(&listener);
        assert!(slots.admit(&new_server).is_some());
        assert_eq!(slots.open(), 2);
        slow.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        assert_eq!(slow.read(&mut [0; 8]).unwrap(), 0, "the slow connection was closed");
        let (_more, more_server) = pair(&listener);
        let second = slots.admit(&more_server);
        assert!(second.is_some(), "the new connection, still waiting, gives way in turn");
        let (_last, last_server) = pair(&listener);
        slots.waiting(second.unwrap(), false);
        assert_eq!(slots.admit(&last_server), None, "every place is busy: refused");
    }

    #[test]
    fn a_slow_request_runs_out_of_time() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let (_client, server) = pair(&listener);
        let mut timed = Timed::new(&server, Duration::from_millis(50));
        let error = timed.read(&mut [0; 8]).unwrap_err();
        assert!(timed_out(&error), "{error:?}");
    }
}
