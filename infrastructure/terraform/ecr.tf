# One repository per image (the server image runs game-server and event-stream).
# Tags are immutable: a git SHA always means the same bytes, so rollback to a
# previous task definition really restores the previous code.
resource "aws_ecr_repository" "this" {
  for_each             = local.repositories
  name                 = "${local.name}/${each.key}"
  image_tag_mutability = "IMMUTABLE"
  force_delete         = !local.is_production

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }
}

# Keep the last 50 images; untagged layers from failed pushes go after a day. An image a
# rollout ran carries a second tag deployed-<digest> (deploy/cli/src/aws/ecr-keep.ts) and
# is kept by the first rule instead (the newest 100 of them): ECR never expires an image
# by a lower-priority rule when a higher one selects it, so a rollback target survives
# any number of later pushes.
resource "aws_ecr_lifecycle_policy" "this" {
  for_each   = aws_ecr_repository.this
  repository = each.value.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "keep the newest 100 images a rollout ran (rollback targets)"
        selection    = { tagStatus = "tagged", tagPrefixList = ["deployed-"], countType = "imageCountMoreThan", countNumber = 100 }
        action       = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "expire untagged images"
        selection    = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 1 }
        action       = { type = "expire" }
      },
      {
        rulePriority = 3
        description  = "keep the newest 50 images"
        selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 50 }
        action       = { type = "expire" }
      },
    ]
  })
}
