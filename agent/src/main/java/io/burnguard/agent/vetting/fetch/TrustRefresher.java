package io.burnguard.agent.vetting.fetch;

import io.burnguard.agent.db.DatabaseException;
import io.burnguard.agent.vetting.ReleaseRejectedException;
import io.burnguard.agent.vetting.TrustDocuments;
import io.burnguard.agent.vetting.TrustLoader;
import io.burnguard.agent.vetting.TrustMaterialException;
import io.burnguard.agent.vetting.VersionStore;
import io.burnguard.agent.vetting.WithdrawalList;
import io.burnguard.agent.vetting.server.DesignatedServerClient;
import java.io.IOException;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the station's CRLs ({@code trust.serverCrls}, stored in {@code crlDir}) and withdrawal list
 * (stored in the database) fresh on its own (issue 12, findings 1 and 2).
 *
 * <p>Threat: a station that only learns of revocations and recalls when an engineer happens to
 * fetch keeps burning a revoked signer's or a recalled release until its stored copies expire
 * (days). Every {@code trust.refreshInterval} one {@link RefreshPass} fetches, verifies and stores
 * them, so a revocation or recall published on the server stops burns within one interval.
 *
 * <p>Threads: a timer asks for a pass every interval; passes run one at a time on a worker thread,
 * and a pass asked for while one is queued or running joins it (a stalled server cannot pile up
 * passes). A burn that finds its stored material expired asks for a pass and waits at most its
 * network budget ({@link #refreshWithin}); the pass itself is bounded by the server client's
 * per-request deadline.
 *
 * <p>Alerts: when a refresh fails and what is stored expires within {@link
 * TrustStatus#warningWindow()} a warning is raised, and a critical alert when something is missing
 * or expired (burns are then refused); each once per episode, re-armed by a healthy pass.
 */
public final class TrustRefresher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrustRefresher.class);

  /** Opens a client for the designated server (settings may be invalid: any exception). */
  @FunctionalInterface
  public interface Server {
    DesignatedServerClient open() throws Exception;
  }

  /** Where the refresher's alerts go (the daemon's alert store). */
  @FunctionalInterface
  public interface Alerts {
    void raise(boolean critical, String kind, String message);
  }

  private final TrustLoader trust;
  private final VersionStore versions;
  private final ReleaseCatalog catalog;
  private final CrlStore store;
  private final List<String> crlNames;
  private final Duration interval;
  private final Server server;
  private final Alerts alerts;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(named("burnguard-trust-timer"));
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(named("burnguard-trust-refresh"));
  private final Object lock = new Object();
  private CompletableFuture<TrustStatus> pending;
  private volatile TrustStatus status;
  private Instant lastAttempt;
  private Instant lastSuccess;
  private TrustStatus.Health alerted = TrustStatus.Health.OK;

  /**
   * A refresher; nothing runs before {@link #start()}.
   *
   * @param crlDir where the CRLs are stored ({@code trust.crlDir})
   * @param crlNames file names under {@code <base>/crl/} ({@code trust.serverCrls})
   * @param interval {@code trust.refreshInterval}
   */
  public TrustRefresher(
      TrustLoader trust,
      VersionStore versions,
      ReleaseCatalog catalog,
      java.nio.file.Path crlDir,
      List<String> crlNames,
      Duration interval,
      Server server,
      Alerts alerts,
      Clock clock) {
    this.trust = Objects.requireNonNull(trust, "trust");
    this.versions = Objects.requireNonNull(versions, "versions");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.store = new CrlStore(crlDir);
    this.crlNames = List.copyOf(crlNames);
    this.interval = Objects.requireNonNull(interval, "interval");
    this.server = Objects.requireNonNull(server, "server");
    this.alerts = Objects.requireNonNull(alerts, "alerts");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.status = describe(Optional.empty(), clock.instant());
  }

  /** Runs the first pass now and then one every interval. */
  public void start() {
    timer.scheduleAtFixedRate(this::requestPass, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The state now, for {@code doctor}. */
  public TrustStatus status() {
    return status;
  }

  /**
   * Asks for a pass (or joins the one queued or running) and waits at most {@code wait} for it.
   *
   * @throws TimeoutException the pass did not end within {@code wait}; it goes on in the background
   */
  public TrustStatus refreshWithin(Duration wait) throws TimeoutException, InterruptedException {
    try {
      return requestPass().get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the trust refresh failed unexpectedly", e.getCause());
    }
  }

  private CompletableFuture<TrustStatus> requestPass() {
    synchronized (lock) {
      if (pending == null) {
        CompletableFuture<TrustStatus> f = new CompletableFuture<>();
        pending = f;
        worker.execute(() -> complete(f));
      }
      return pending;
    }
  }

  private void complete(CompletableFuture<TrustStatus> f) {
    try {
      TrustStatus s = pass();
      synchronized (lock) {
        pending = null;
      }
      f.complete(s);
    } catch (RuntimeException | Error e) {
      synchronized (lock) {
        pending = null;
      }
      log.error("the trust refresh failed unexpectedly", e);
      f.completeExceptionally(e);
    }
  }

  /** One pass: fetch, verify, store, then the status and any alert. */
  private TrustStatus pass() {
    Instant at = clock.instant();
    Optional<TrustStatus.Failure> failure =
        new RefreshPass(trust, versions, catalog, store, crlNames, clock).run(server);
    lastAttempt = at;
    if (failure.isEmpty()) {
      lastSuccess = at;
    } else {
      log.warn("trust refresh failed: {}", failure.get().message());
    }
    TrustStatus s = describe(failure, at.plus(interval));
    status = s;
    alertIfNeeded(s);
    return s;
  }

  private void alertIfNeeded(TrustStatus s) {
    TrustStatus.Health h = s.health(clock.instant());
    if (h == TrustStatus.Health.OK || h == TrustStatus.Health.REFRESH_FAILING) {
      alerted = TrustStatus.Health.OK;
      return;
    }
    if (h.compareTo(alerted) <= 0) {
      return;
    }
    alerted = h;
    String why = s.lastError().map(f -> "; last refresh: " + f.message()).orElse("");
    if (h == TrustStatus.Health.EXPIRED) {
      alerts.raise(
          true,
          "trust-expired",
          "a CRL or the withdrawal list is missing or expired, so every burn is refused"
              + why
              + "; check that the station reaches the designated server and that it publishes"
              + " current crl/ files and withdrawals.json");
    } else {
      alerts.raise(
          false,
          "trust-refresh-failing",
          "the trust refresh keeps failing and the stored CRLs or withdrawal list expire at "
              + s.expires().map(Instant::toString).orElse("?")
              + why
              + "; burns stop then unless the designated server can be reached");
    }
  }

  private TrustStatus describe(Optional<TrustStatus.Failure> failure, Instant next) {
    Optional<Instant> issued = Optional.empty();
    Optional<Instant> nextUpdate = Optional.empty();
    List<X509CRL> crls = storedCrls();
    if (!crls.isEmpty()) {
      Instant i = null;
      Instant n = null;
      for (X509CRL c : crls) {
        Instant t = c.getThisUpdate().toInstant();
        Instant u = c.getNextUpdate() == null ? t : c.getNextUpdate().toInstant();
        i = i == null || t.isBefore(i) ? t : i;
        n = n == null || u.isBefore(n) ? u : n;
      }
      issued = Optional.of(i);
      nextUpdate = Optional.of(n);
    }
    Optional<WithdrawalList> w = storedWithdrawals();
    return new TrustStatus(
        interval,
        Optional.ofNullable(lastAttempt),
        Optional.ofNullable(lastSuccess),
        failure,
        next,
        issued,
        nextUpdate,
        w.map(l -> OptionalLong.of(l.sequence())).orElse(OptionalLong.empty()),
        w.map(WithdrawalList::expires));
  }

  /** The stored server CRLs; empty when one is missing (or, without serverCrls, crlDir's). */
  private List<X509CRL> storedCrls() {
    List<X509CRL> out = new ArrayList<>();
    try {
      if (crlNames.isEmpty()) {
        return trust.load(clock).crls();
      }
      for (String n : crlNames) {
        Optional<X509CRL> c = store.stored(n);
        if (c.isEmpty()) {
          return List.of();
        }
        out.add(c.get());
      }
    } catch (IOException | TrustMaterialException e) {
      return List.of();
    }
    return out;
  }

  private Optional<WithdrawalList> storedWithdrawals() {
    try {
      Optional<byte[][]> s = catalog.latestWithdrawals();
      return s.isEmpty()
          ? Optional.empty()
          : Optional.of(TrustDocuments.storedWithdrawals("withdrawals.json (stored)", s.get()[0]));
    } catch (DatabaseException | ReleaseRejectedException e) {
      return Optional.empty();
    }
  }

  private static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops the timer and the worker; a pass in flight is interrupted. */
  @Override
  public void close() {
    timer.shutdownNow();
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
