//! List your images, or delete one by `name:tag`.
//!
//! ```sh
//! export PRIME_API_KEY=pit_...                 # required
//! export PRIME_API_BASE_URL=http://127.0.0.1:8080   # optional; default is the PI API
//! cargo run -p prime-api --example images -- list [--team TEAM_ID]
//! cargo run -p prime-api --example images -- delete myapp:v1.0.0 [--team TEAM_ID]
//! ```

use futures_util::StreamExt;
use prime_api::types::DeleteUserImageError;
use prime_api::{Client, Error};
use std::process::ExitCode;

const USAGE: &str =
    "usage: images list [--team TEAM_ID]\n       images delete NAME:TAG [--team TEAM_ID]";

#[tokio::main]
async fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let team = match args.iter().position(|a| a == "--team") {
        Some(i) if i + 1 < args.len() => {
            let team = args.remove(i + 1);
            args.remove(i);
            Some(team)
        }
        Some(_) => {
            eprintln!("--team needs a value\n{USAGE}");
            return ExitCode::from(2);
        }
        None => None,
    };
    let client = match Client::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["list"] => list(&client, team.as_deref()).await,
        ["delete", image] => match image.rsplit_once(':') {
            Some((name, tag)) => delete(&client, name, tag, team.as_deref()).await,
            None => {
                eprintln!("expected NAME:TAG, got {image}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

async fn list(client: &Client, team: Option<&str>) -> ExitCode {
    let mut images = std::pin::pin!(client.list_user_images_stream(team, 100));
    let mut count = 0;
    while let Some(image) = images.next().await {
        match image {
            Ok(image) => {
                count += 1;
                println!("{}:{}\t{}", image.image_name, image.image_tag, image.status);
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    eprintln!("{count} images");
    ExitCode::SUCCESS
}

async fn delete(client: &Client, name: &str, tag: &str, team: Option<&str>) -> ExitCode {
    match client.delete_user_image(name, tag, team).await {
        Ok(done) => {
            println!("{}", done.message);
            ExitCode::SUCCESS
        }
        Err(Error::Api {
            error: DeleteUserImageError::UnprocessableEntity(body),
            ..
        }) => {
            for e in body.errors {
                eprintln!("invalid {}: {}", e.param, e.details);
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
