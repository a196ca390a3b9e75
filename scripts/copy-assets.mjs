// Copies files the build needs beside the compiled JavaScript (the web UI's static files) into dist/.
import { cpSync, existsSync } from 'node:fs'

if (existsSync('src/admin/ui')) cpSync('src/admin/ui', 'dist/admin/ui', { recursive: true })
