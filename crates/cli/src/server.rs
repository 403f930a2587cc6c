//! `panelist server run | create-admin | enrollment-code`: the operator's side of the
//! Panelist server.

use std::io::BufRead;
use std::time::Duration;

use anyhow::Context;
use clap::Subcommand;
use panelist_core::Role;
use panelist_server::{RawConfig, ServerConfig};

#[derive(Subcommand)]
pub enum ServerCommand {
    /// Run the server (SECRET_KEY must be set in the environment).
    Run {
        #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
        database_url: Option<String>,
        /// Address to listen on (default HOST:PORT, else 127.0.0.1:8000).
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// Origins allowed by CORS, comma-separated (default: none).
        #[arg(long, env = "ALLOWED_ORIGINS", value_name = "ORIGINS")]
        allowed_origins: Option<String>,
    },
    /// Create an admin account; the password is read from standard input.
    CreateAdmin {
        #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
        database_url: String,
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Print a one-time code a kiosk enrolls with.
    EnrollmentCode {
        #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
        database_url: String,
        /// Hours the code stays usable.
        #[arg(long, default_value_t = 24)]
        hours: u64,
    },
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Resolves on Ctrl-C or SIGTERM, so that requests in flight finish before exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

pub fn run(command: &ServerCommand, json: bool) -> anyhow::Result<()> {
    match command {
        ServerCommand::Run {
            database_url,
            listen,
            allowed_origins,
        } => {
            let config = ServerConfig::from_raw(RawConfig {
                database_url: database_url.clone(),
                listen: listen.clone(),
                host: std::env::var("HOST").ok(),
                port: std::env::var("PORT").ok(),
                secret_key: std::env::var("SECRET_KEY").ok(),
                allowed_origins: allowed_origins.clone(),
                trust_proxy: std::env::var("TRUST_PROXY").ok(),
            })?;
            runtime()?.block_on(panelist_server::run(config, shutdown_signal()))?;
            Ok(())
        }
        ServerCommand::CreateAdmin {
            database_url,
            email,
            password_stdin: _,
        } => {
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let id = runtime()?.block_on(async {
                let pool = panelist_server::connect(database_url).await?;
                panelist_server::create_user(&pool, email, password, Role::Admin)
                    .await
                    .map_err(anyhow::Error::from)
            })?;
            println!("created admin {email} ({id})");
            Ok(())
        }
        ServerCommand::EnrollmentCode {
            database_url,
            hours,
        } => {
            let code = runtime()?.block_on(async {
                let pool = panelist_server::connect(database_url).await?;
                panelist_server::create_enrollment_code(
                    &pool,
                    Duration::from_secs(hours.saturating_mul(3600)),
                )
                .await
                .map_err(anyhow::Error::from)
            })?;
            if json {
                println!("{}", serde_json::to_string(&code)?);
            } else {
                println!("{}", code.code);
                eprintln!("valid once, until {}", code.expires_at.to_rfc3339());
            }
            Ok(())
        }
    }
}
