<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Integrity Desk</source>
        <translation>关于诚信服务台</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Licenses</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Integrity Desk</source>
        <translation>诚信服务台</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>版本 {version}</translation>
    </message>
    <message>
        <source>For the service hall of a public resource trading center: credit lookups at the entry desk, on-site evaluation of bid-evaluation experts, complaints from the public and the monthly scoring of staff, with an audit trail that can be verified end to end.</source>
        <translation>公共资源交易中心服务大厅的诚信管理系统：入场信用查询、评标专家现场考评、服务投诉受理和工作人员月度考核，全部操作记入可端到端校验的审计日志。</translation>
    </message>
    <message>
        <source>Integrity Desk is built on these components, under their own licenses:</source>
        <translation>诚信服务台使用了以下组件，各组件遵循其自身的许可证：</translation>
    </message>
    <message>
        <source>Apache-2.0, or GPL-3.0-or-later with the font exception</source>
        <translation>Apache-2.0，或 GPL-3.0 及以后版本（附字体例外条款）</translation>
    </message>
    <message>
        <source>Components and licenses</source>
        <translation>组件及许可证</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>License</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>The bundled Chinese font, WenQuanYi Micro Hei:</source>
        <translation>随程序附带的中文字体（文泉驿微米黑）：</translation>
    </message>
    <message>
        <source>Font license</source>
        <translation>字体许可证</translation>
    </message>
    <message>
        <source>The license file {file} is missing.</source>
        <translation>缺少许可证文件 {file}。</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>System administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Center settings</source>
        <translation>中心设置</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Integrity Desk — unexpected error</source>
        <translation>诚信服务台 — 意外错误</translation>
    </message>
    <message>
        <source>Integrity Desk ran into an unexpected error. Records already saved are safe.</source>
        <translation>诚信服务台发生了意外错误。已保存的记录不受影响。</translation>
    </message>
    <message>
        <source>The details were written to the log file:
{path}

Please give this file to the IT staff. You can go on working; if the error comes back, quit and start the program again.</source>
        <translation>详细信息已写入日志文件：
{path}

请将该文件提供给信息科工作人员。您可以继续工作；如果错误再次出现，请退出并重新启动程序。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续工作</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>This is not a database URL.</source>
        <translation>这不是有效的数据库地址。</translation>
    </message>
    <message>
        <source>A database in memory: nothing in it is kept.</source>
        <translation>内存数据库：其中的数据不会保存。</translation>
    </message>
    <message>
        <source>The folder of {path} cannot be written to.</source>
        <translation>无法写入 {path} 所在的文件夹。</translation>
    </message>
    <message>
        <source>The file {path} does not exist yet: it will be created at the next start.</source>
        <translation>文件 {path} 尚不存在，将在下次启动时创建。</translation>
    </message>
    <message>
        <source>{path} is not a sound SQLite database: {problem}</source>
        <translation>{path} 不是完好的 SQLite 数据库：{problem}</translation>
    </message>
    <message>
        <source>The SQLite file {path} can be opened.</source>
        <translation>SQLite 数据库文件 {path} 可以正常打开。</translation>
    </message>
    <message>
        <source>Cannot connect: {error}</source>
        <translation>无法连接：{error}</translation>
    </message>
    <message>
        <source>Connected to PostgreSQL {version}.</source>
        <translation>已连接到 PostgreSQL {version}。</translation>
    </message>
    <message>
        <source>Only SQLite and PostgreSQL databases are supported.</source>
        <translation>仅支持 SQLite 和 PostgreSQL 数据库。</translation>
    </message>
    <message>
        <source>Integrity Desk</source>
        <translation>诚信服务台</translation>
    </message>
    <message>
        <source>The database could not be opened.</source>
        <translation>无法打开数据库。</translation>
    </message>
    <message>
        <source>{problem}

Database: {database}
Log file: {log}</source>
        <translation>{problem}

数据库：{database}
日志文件：{log}</translation>
    </message>
    <message>
        <source>Database settings…</source>
        <translation>数据库设置…</translation>
    </message>
    <message>
        <source>The database URL in the settings is not valid.</source>
        <translation>设置中的数据库地址无效。</translation>
    </message>
    <message>
        <source>The database cannot be reached: {error}</source>
        <translation>无法连接数据库：{error}</translation>
    </message>
    <message>
        <source>A file of the database cannot be used: {error}</source>
        <translation>数据库相关文件无法使用：{error}</translation>
    </message>
</context>
<context>
    <name>AuditLogModel</name>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>工作站</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>staff</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>center settings</source>
        <translation>中心设置</translation>
    </message>
    <message>
        <source>audit log</source>
        <translation>审计日志</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>From date</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Exact username</source>
        <translation>完整用户名</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>Text in summary or object number</source>
        <translation>摘要文字或对象编号</translation>
    </message>
    <message>
        <source>Text in summary, or an object number (Ctrl+F)</source>
        <translation>摘要中的文字，或对象编号（Ctrl+F）</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清空筛选条件</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>起始：</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>截止：</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>用户：</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>操作：</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>文字：</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Verify audit chain</source>
        <translation>校验审计链</translation>
    </message>
    <message>
        <source>Check every entry against its key-protected hash and the one before it</source>
        <translation>逐条核对每条记录的密钥校验码及其与前一条的衔接</translation>
    </message>
    <message>
        <source>The start date is after the end date.</source>
        <translation>起始日期晚于截止日期。</translation>
    </message>
    <message>
        <source>%1 entries, %2 shown</source>
        <translation>共 %1 条，已显示 %2 条</translation>
    </message>
    <message>
        <source>Audit chain intact: %1 entries checked.</source>
        <translation>审计链完整：已校验 %1 条记录。</translation>
    </message>
    <message>
        <source>Audit chain BROKEN: %1 (%2 entries before it are intact).</source>
        <translation>审计链异常：%1（此前 %2 条完好）。</translation>
    </message>
</context>
<context>
    <name>AuditSummary</name>
    <message>
        <source>username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>name</source>
        <translation>姓名/名称</translation>
    </message>
    <message>
        <source>roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>staff</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>employee no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>intact</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>checked</source>
        <translation>已校验</translation>
    </message>
    <message>
        <source>first bad entry</source>
        <translation>首个异常记录</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>count</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>center name</source>
        <translation>中心名称</translation>
    </message>
    <message>
        <source>short name</source>
        <translation>简称</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>query phone</source>
        <translation>查询电话</translation>
    </message>
    <message>
        <source>document number prefix</source>
        <translation>文号前缀</translation>
    </message>
    <message>
        <source>minimum password length</source>
        <translation>密码最小长度</translation>
    </message>
    <message>
        <source>character classes</source>
        <translation>字符类别数</translation>
    </message>
    <message>
        <source>failed sign-ins before lockout</source>
        <translation>锁定前允许失败次数</translation>
    </message>
    <message>
        <source>lockout minutes</source>
        <translation>锁定时长（分钟）</translation>
    </message>
    <message>
        <source>idle lock minutes</source>
        <translation>闲置锁屏（分钟）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
</context>
<context>
    <name>CenterSettingsTab</name>
    <message>
        <source>Center name:</source>
        <translation>中心名称：</translation>
    </message>
    <message>
        <source>Short name:</source>
        <translation>简称：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>Query phone:</source>
        <translation>查询电话：</translation>
    </message>
    <message>
        <source>Document number prefix:</source>
        <translation>文号前缀：</translation>
    </message>
    <message>
        <source>Printed as the issuing body on every notice</source>
        <translation>作为发文机关印在每份告知单上</translation>
    </message>
    <message>
        <source>Used where space is short, e.g. 某市公资交</source>
        <translation>版面紧张时使用，例如 某市公资交</translation>
    </message>
    <message>
        <source>Printed on receipts</source>
        <translation>印在回执上</translation>
    </message>
    <message>
        <source>Printed on receipts for the public to ask about their case</source>
        <translation>印在回执上，供群众查询办理进度</translation>
    </message>
    <message>
        <source>e.g. 公资交 gives 公资交〔2026〕12号</source>
        <translation>例如 公资交，生成文号 公资交〔2026〕12号</translation>
    </message>
    <message>
        <source>Minimum password length:</source>
        <translation>密码最小长度：</translation>
    </message>
    <message>
        <source>Character classes required:</source>
        <translation>密码字符类别：</translation>
    </message>
    <message>
        <source>Failed sign-ins before lockout:</source>
        <translation>登录失败锁定次数：</translation>
    </message>
    <message>
        <source>Lockout duration:</source>
        <translation>锁定时长：</translation>
    </message>
    <message>
        <source>Lock the screen after idle:</source>
        <translation>闲置自动锁屏：</translation>
    </message>
    <message>
        <source> characters</source>
        <translation> 个字符</translation>
    </message>
    <message>
        <source> of 4</source>
        <translation> 类（共 4 类）</translation>
    </message>
    <message>
        <source> attempts</source>
        <translation> 次</translation>
    </message>
    <message>
        <source> minutes</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Center</source>
        <translation>中心信息</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>Security policy</source>
        <translation>安全策略</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Discard unsaved changes and load the stored settings</source>
        <translation>放弃未保存的修改，重新载入已保存的设置</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>没有需要保存的修改。</translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>设置已保存。</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Current password:</source>
        <translation>原密码：</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>原密码</translation>
    </message>
    <message>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Repeat new password:</source>
        <translation>确认新密码：</translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation>确认新密码</translation>
    </message>
</context>
<context>
    <name>Cover</name>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <source>{year}-{month:02d}-{day:02d}</source>
        <translation>{year}年{month}月{day}日</translation>
    </message>
</context>
<context>
    <name>DepartmentDialog</name>
    <message>
        <source>New department</source>
        <translation>新建科室</translation>
    </message>
    <message>
        <source>Edit department</source>
        <translation>修改科室</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Department name</source>
        <translation>科室名称</translation>
    </message>
    <message>
        <source>e.g. 评审科</source>
        <translation>例如 评审科</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
</context>
<context>
    <name>DepartmentTableModel</name>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Staff on duty</source>
        <translation>在岗人数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Deactivated</source>
        <translation>已停用</translation>
    </message>
</context>
<context>
    <name>DepartmentsTab</name>
    <message>
        <source>Departments</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>New department…</source>
        <translation>新建科室…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <source>Department “%1” saved.</source>
        <translation>科室“%1”已保存。</translation>
    </message>
    <message>
        <source>Deactivate department</source>
        <translation>停用科室</translation>
    </message>
    <message>
        <source>Deactivate “%1”? It will no longer be offered for new staff and accounts.</source>
        <translation>确定停用“%1”吗？停用后新建人员和账户时将不再提供该科室。</translation>
    </message>
    <message>
        <source>“%1” deactivated.</source>
        <translation>“%1”已停用。</translation>
    </message>
    <message>
        <source>“%1” reactivated.</source>
        <translation>“%1”已重新启用。</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <source>Set up Integrity Desk</source>
        <translation>初始化诚信服务台</translation>
    </message>
    <message>
        <source>This database has no accounts yet. Create the system administrator: the account that manages accounts, departments, staff and settings. It has no business rights: credit lookups, complaints, evaluations and scoring need accounts of their own, which the system administrator creates next.</source>
        <translation>该数据库中还没有任何账户。请先创建系统管理员账户，用于管理账户、科室、人员和系统设置。系统管理员没有业务权限：信用查询、投诉受理、专家考评和月度考核须使用各自的账户，由系统管理员随后创建。</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Letters, digits and . _ -, e.g. sysadmin</source>
        <translation>字母、数字及 . _ -，例如 sysadmin</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Shown in the status bar and the audit log</source>
        <translation>显示在状态栏和审计日志中</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Repeat password:</source>
        <translation>确认密码：</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>确认密码</translation>
    </message>
    <message>
        <source>Create administrator</source>
        <translation>创建管理员</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Discard what you typed and load the record as it is stored now</source>
        <translation>放弃本次填写的内容，载入该记录当前保存的内容</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Welcome, {name}</source>
        <translation>欢迎，{name}</translation>
    </message>
    <message>
        <source>{center} · {roles} · {date}</source>
        <translation>{center} · {roles} · {date}</translation>
    </message>
    <message>
        <source>Administrator accounts hold no business rights: system administration, security and audit are kept on separate accounts.</source>
        <translation>管理员账户不具有业务权限：系统管理、安全管理和审计由不同账户分别担任（三员分立）。</translation>
    </message>
    <message>
        <source>Open ({shortcut})</source>
        <translation>打开（{shortcut}）</translation>
    </message>
</context>
<context>
    <name>ListTab</name>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Search (Ctrl+F)</source>
        <translation>搜索（Ctrl+F）</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>Screen locked — Integrity Desk</source>
        <translation>屏幕已锁定 — 诚信服务台</translation>
    </message>
    <message>
        <source>The screen was locked to protect the data on it. {name}, enter your password to continue: everything you typed is kept.</source>
        <translation>为保护屏幕上的数据，屏幕已锁定。{name}，请输入密码继续工作，已填写的内容均已保留。</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in — Integrity Desk</source>
        <translation>登录 — 诚信服务台</translation>
    </message>
    <message>
        <source>Integrity Desk</source>
        <translation>诚信服务台</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Database: {database} · Workstation: {workstation}</source>
        <translation>数据库：{database} · 工作站：{workstation}</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Integrity Desk — {center}</source>
        <translation>诚信服务台 — {center}</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>功能页面</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Change &amp;password…</source>
        <translation>修改密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Lock screen</source>
        <translation>锁定屏幕(&amp;L)</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出程序(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Home</source>
        <translation>首页(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Print a &amp;test page…</source>
        <translation>打印测试页(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Verify a notice…</source>
        <translation>验证文书(&amp;V)…</translation>
    </message>
    <message>
        <source>&amp;About Integrity Desk</source>
        <translation>关于诚信服务台(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>Signed in as {username} at workstation {workstation}</source>
        <translation>已在工作站 {workstation} 以 {username} 身份登录</translation>
    </message>
    <message>
        <source>Database in use</source>
        <translation>当前使用的数据库</translation>
    </message>
    <message>
        <source>Your password has been changed.</source>
        <translation>密码已修改。</translation>
    </message>
    <message>
        <source>Settings saved. They take effect the next time Integrity Desk starts.</source>
        <translation>设置已保存，将在下次启动诚信服务台时生效。</translation>
    </message>
    <message>
        <source>Unsaved input</source>
        <translation>有未保存的内容</translation>
    </message>
    <message>
        <source>These pages have input that is not saved yet: {pages}.

Discard it and continue?</source>
        <translation>以下页面有尚未保存的内容：{pages}。

放弃这些内容并继续吗？</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <source>Credit lookup</source>
        <translation>信用查询</translation>
    </message>
    <message>
        <source>Look up the credit file of a company or person and tell whether they may enter today's bid opening, with a printed result notice.</source>
        <translation>查询企业或个人的信用档案，判断其能否进入当日开标现场，并打印信用查询结果告知单。</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>投诉受理</translation>
    </message>
    <message>
        <source>Register complaints from every channel, follow each one through acceptance, handling, reply and follow-up within its deadline, and print the receipt for the complainant.</source>
        <translation>登记各渠道的服务投诉，在办理时限内跟踪受理、调查处理、办结答复和回访各环节，并为投诉人打印回执。</translation>
    </message>
    <message>
        <source>Expert evaluation</source>
        <translation>专家考评</translation>
    </message>
    <message>
        <source>Record the on-site evaluation of bid-evaluation experts item by item, add up their points over the year, and propose suspensions for a leader to confirm.</source>
        <translation>逐项记录评标专家现场考评情况，按年度累计扣分，并提出暂停建议，由中心领导确认。</translation>
    </message>
    <message>
        <source>Monthly scoring</source>
        <translation>月度考核</translation>
    </message>
    <message>
        <source>Score the staff of each department every month against the scheme of their post, submit the sheets, and lock the month's grades.</source>
        <translation>按岗责体系每月为各科室工作人员评分，提交考核表，并锁定当月考核等次。</translation>
    </message>
    <message>
        <source>System administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Manage accounts, departments and staff, and the center's settings.</source>
        <translation>管理账户、科室和人员，以及中心设置。</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>审计</translation>
    </message>
    <message>
        <source>Read the audit log and verify that its chain is intact.</source>
        <translation>查阅审计日志，并校验审计链是否完整。</translation>
    </message>
</context>
<context>
    <name>NoticePreviewDialog</name>
    <message>
        <source>Reprint</source>
        <translation>补打件</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>Fit the page width</source>
        <translation>按页面宽度显示</translation>
    </message>
    <message>
        <source>Whole page</source>
        <translation>整页</translation>
    </message>
    <message>
        <source>Show a whole page</source>
        <translation>显示整页</translation>
    </message>
    <message>
        <source>Pages of the notice</source>
        <translation>文书页面</translation>
    </message>
    <message>
        <source>&amp;Reprint…</source>
        <translation>补打(&amp;R)…</translation>
    </message>
    <message>
        <source>Make a new copy from the archive, marked as a reprint; the audit log records it.</source>
        <translation>按存档内容另出一份标注“补打”的新件，并记入审计日志。</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>另存为PDF(&amp;S)…</translation>
    </message>
    <message>
        <source>Save the notice as a PDF file (Ctrl+S)</source>
        <translation>将文书另存为 PDF 文件（Ctrl+S）</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Print the notice (Ctrl+P)</source>
        <translation>打印文书（Ctrl+P）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>{title} {number}</source>
        <translation>{title} {number}</translation>
    </message>
    <message>
        <source>Number: {number}</source>
        <translation>编号：{number}</translation>
    </message>
    <message>
        <source>Verification code: {code}</source>
        <translation>验证码：{code}</translation>
    </message>
    <message>
        <source>Pages: {count}</source>
        <translation>共 {count} 页</translation>
    </message>
    <message>
        <source>Print {number}</source>
        <translation>打印 {number}</translation>
    </message>
    <message>
        <source>The chosen page range contains no page of this notice.</source>
        <translation>所选页码范围内没有本文书的页面。</translation>
    </message>
    <message>
        <source>The notice could not be printed on {printer}. Check that the printer is on and ready.</source>
        <translation>文书未能在 {printer} 上打印。请检查打印机是否已开机并处于就绪状态。</translation>
    </message>
    <message>
        <source>the printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Sent to {printer}.</source>
        <translation>已发送到 {printer}。</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>The file could not be saved:
{path}

{reason}

Nothing was written: a file already there is unchanged. Choose another folder, or check the drive and try again.</source>
        <translation>文件未能保存：
{path}

{reason}

没有写入任何内容，原有的同名文件未被改动。请换一个文件夹，或检查磁盘后重试。</translation>
    </message>
    <message>
        <source>Saved as {path}.</source>
        <translation>已保存为 {path}。</translation>
    </message>
    <message>
        <source>A reprint of {number} was made; print it or save it now.</source>
        <translation>已生成 {number} 的补打件，请打印或保存。</translation>
    </message>
</context>
<context>
    <name>Notices</name>
    <message>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <source>Make a new copy of {number}, marked 补打 (reprint) with the time of now? The reprint is recorded in the audit log.</source>
        <translation>为 {number} 补打一份新件？新件标注“补打”字样和补打时间，补打记入审计日志。</translation>
    </message>
    <message>
        <source>Print a test page</source>
        <translation>打印测试页</translation>
    </message>
</context>
<context>
    <name>PageView</name>
    <message>
        <source>Page {page}</source>
        <translation>第 {page} 页</translation>
    </message>
</context>
<context>
    <name>PasswordPolicy</name>
    <message>
        <source>The password needs at least {length} characters and {classes} of these kinds: lower-case letters, upper-case letters, digits, symbols.</source>
        <translation>密码至少 {length} 个字符，并包含小写字母、大写字母、数字、符号中的至少 {classes} 类。</translation>
    </message>
    <message>
        <source>The two passwords are not the same. Type the password again.</source>
        <translation>两次输入的密码不一致，请重新输入。</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <source>This module is not built yet in this version of Integrity Desk.</source>
        <translation>本版本的诚信服务台尚未包含此功能模块。</translation>
    </message>
    <message>
        <source>When it is ready: {purpose}</source>
        <translation>建成后的用途：{purpose}</translation>
    </message>
</context>
<context>
    <name>QWidget</name>
    <message>
        <source>Integrity Desk</source>
        <translation>诚信服务台</translation>
    </message>
</context>
<context>
    <name>RevealDialog</name>
    <message>
        <source>View personal data</source>
        <translation>查看个人信息明文</translation>
    </message>
    <message>
        <source>Viewing personal data of %1 (%2) is recorded in the audit log with your reason.</source>
        <translation>查看 %1（%2）的个人信息明文，将连同您填写的原因记入审计日志。</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机/电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Item:</source>
        <translation>项目：</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>查看原因</translation>
    </message>
    <message>
        <source>At least 4 characters, e.g. 核对投诉人身份</source>
        <translation>至少 4 个字，例如 核对投诉人身份</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Value in clear</source>
        <translation>明文</translation>
    </message>
    <message>
        <source>Value:</source>
        <translation>明文：</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查看明文</translation>
    </message>
    <message>
        <source>(not recorded)</source>
        <translation>（未登记）</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Hall staff</source>
        <translation>大厅工作人员</translation>
    </message>
    <message>
        <source>Department head</source>
        <translation>科室负责人</translation>
    </message>
    <message>
        <source>Center leader</source>
        <translation>中心领导</translation>
    </message>
    <message>
        <source>System administrator</source>
        <translation>系统管理员</translation>
    </message>
    <message>
        <source>Audit administrator</source>
        <translation>审计管理员</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>界面语言：</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <source>Database URL</source>
        <translation>数据库地址</translation>
    </message>
    <message>
        <source>Empty: the SQLite file in the data folder</source>
        <translation>留空：使用数据文件夹中的 SQLite 文件</translation>
    </message>
    <message>
        <source>Empty: the SQLite file {path}.
For several workstations sharing one PostgreSQL server: postgresql+psycopg://user:password@server/database</source>
        <translation>留空：使用 SQLite 文件 {path}。
多个工作站共用一台 PostgreSQL 服务器时填写：postgresql+psycopg://用户名:密码@服务器/数据库名</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Database URL:</source>
        <translation>数据库地址：</translation>
    </message>
    <message>
        <source>This start uses a database given on the command line or in {variable}, which takes precedence over this setting.</source>
        <translation>本次启动使用的是命令行或环境变量 {variable} 指定的数据库，其优先级高于此项设置。</translation>
    </message>
    <message>
        <source>Workstation name:</source>
        <translation>工作站名称：</translation>
    </message>
    <message>
        <source>Workstation name</source>
        <translation>工作站名称</translation>
    </message>
    <message>
        <source>Empty: the computer's name ({name})</source>
        <translation>留空：使用计算机名（{name}）</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>密钥文件</translation>
    </message>
    <message>
        <source>Empty: {path}</source>
        <translation>留空：{path}</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Key file:</source>
        <translation>密钥文件：</translation>
    </message>
    <message>
        <source>Changes are saved in {file} and take effect the next time Integrity Desk starts.</source>
        <translation>设置保存在 {file} 中，将在下次启动诚信服务台时生效。</translation>
    </message>
    <message>
        <source>Choose the key file</source>
        <translation>选择密钥文件</translation>
    </message>
    <message>
        <source>The database URL must start with sqlite:/// or postgresql+psycopg:// (leave it empty for the SQLite file in the data folder).</source>
        <translation>数据库地址须以 sqlite:/// 或 postgresql+psycopg:// 开头（留空则使用数据文件夹中的 SQLite 文件）。</translation>
    </message>
    <message>
        <source>The settings could not be saved: {error}</source>
        <translation>无法保存设置：{error}</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <source>New staff member</source>
        <translation>新建人员</translation>
    </message>
    <message>
        <source>Edit staff member</source>
        <translation>修改人员</translation>
    </message>
    <message>
        <source>Employee no.:</source>
        <translation>工号：</translation>
    </message>
    <message>
        <source>Employee number</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>科室：</translation>
    </message>
    <message>
        <source>Post:</source>
        <translation>岗位：</translation>
    </message>
    <message>
        <source>e.g. 综合窗口、评标见证</source>
        <translation>例如 综合窗口、评标见证</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>手机/电话：</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>手机/电话</translation>
    </message>
    <message>
        <source>ID number:</source>
        <translation>身份证号：</translation>
    </message>
    <message>
        <source>Resident ID number</source>
        <translation>居民身份证号</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>On duty</source>
        <translation>在岗</translation>
    </message>
    <message>
        <source>Mobile or landline, optional</source>
        <translation>手机或固定电话，选填</translation>
    </message>
    <message>
        <source>18 digits, optional</source>
        <translation>18 位，选填</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>Stored: %1 — leave blank to keep</source>
        <translation>已登记 %1，留空则不修改</translation>
    </message>
    <message>
        <source>Not recorded, optional</source>
        <translation>未登记，选填</translation>
    </message>
</context>
<context>
    <name>StaffTab</name>
    <message>
        <source>Staff</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Department filter</source>
        <translation>按科室筛选</translation>
    </message>
    <message>
        <source>New staff member…</source>
        <translation>新建人员…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>View in clear…</source>
        <translation>查看明文…</translation>
    </message>
    <message>
        <source>Show a phone or ID number in clear; asks for a reason and is audited</source>
        <translation>显示电话或身份证号明文：需填写原因，并记入审计日志</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部科室</translation>
    </message>
    <message>
        <source>%1 (%2) saved.</source>
        <translation>%1（%2）已保存。</translation>
    </message>
</context>
<context>
    <name>StaffTableModel</name>
    <message>
        <source>Employee no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>手机/电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>On duty</source>
        <translation>在岗</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>离岗</translation>
    </message>
</context>
<context>
    <name>TemporaryPasswordDialog</name>
    <message>
        <source>Temporary password</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <source>Temporary password of account “%1”. It is shown only this once: give it to the user, who must change it at the next sign-in.</source>
        <translation>账户“%1”的临时密码。此密码只显示这一次：请交给本人，本人下次登录时须修改密码。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy password</source>
        <translation>复制密码</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>New account</source>
        <translation>新建账户</translation>
    </message>
    <message>
        <source>Edit account</source>
        <translation>修改账户</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Letters, digits and . _ -</source>
        <translation>字母、数字及 . _ -</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Roles:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>负责科室：</translation>
    </message>
    <message>
        <source>The department a department head is responsible for</source>
        <translation>科室负责人所负责的科室</translation>
    </message>
    <message>
        <source>Staff record:</source>
        <translation>关联人员：</translation>
    </message>
    <message>
        <source>Linked staff</source>
        <translation>关联人员</translation>
    </message>
    <message>
        <source>Optional: the staff record of this person</source>
        <translation>选填：此人对应的人员档案</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Account active</source>
        <translation>账户启用</translation>
    </message>
    <message>
        <source>An initial password is generated when you save and shown once; the user must change it at first sign-in.</source>
        <translation>保存时自动生成初始密码并只显示一次；本人首次登录时须修改密码。</translation>
    </message>
    <message>
        <source>— none —</source>
        <translation>— 无 —</translation>
    </message>
    <message>
        <source>— not linked —</source>
        <translation>— 不关联 —</translation>
    </message>
</context>
<context>
    <name>UserTableModel</name>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>Linked staff</source>
        <translation>关联人员</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Locked until %1</source>
        <translation>锁定至 %1</translation>
    </message>
    <message>
        <source>Must change password</source>
        <translation>需修改密码</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>New account…</source>
        <translation>新建账户…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Account “%1” saved.</source>
        <translation>账户“%1”已保存。</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Give “%1” a new temporary password? The current password stops working at once.</source>
        <translation>确定为“%1”重置临时密码吗？当前密码将立即失效。</translation>
    </message>
    <message>
        <source>Password of “%1” reset.</source>
        <translation>“%1”的密码已重置。</translation>
    </message>
    <message>
        <source>Account “%1” unlocked.</source>
        <translation>账户“%1”已解锁。</translation>
    </message>
</context>
<context>
    <name>VerifyNoticeDialog</name>
    <message>
        <source>Verify a notice</source>
        <translation>验证文书</translation>
    </message>
    <message>
        <source>Type the number and the verification code printed at the foot of the notice. To check a PDF file as well, choose it: only an unchanged copy made by the hall passes.</source>
        <translation>请输入文书底部印有的编号和验证码。如需同时核验 PDF 文件，请选择该文件：只有本中心出具且未经改动的文件才能通过。</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>for example CS2026-000001</source>
        <translation>例如 CS2026-000001</translation>
    </message>
    <message>
        <source>&amp;Number:</source>
        <translation>编号(&amp;N)：</translation>
    </message>
    <message>
        <source>Verification code</source>
        <translation>验证码</translation>
    </message>
    <message>
        <source>Verification &amp;code:</source>
        <translation>验证码(&amp;C)：</translation>
    </message>
    <message>
        <source>PDF file to check</source>
        <translation>要核验的PDF文件</translation>
    </message>
    <message>
        <source>optional: no file chosen</source>
        <translation>可选：未选择文件</translation>
    </message>
    <message>
        <source>Choose PDF &amp;file…</source>
        <translation>选择PDF文件(&amp;F)…</translation>
    </message>
    <message>
        <source>Choose PDF file</source>
        <translation>选择PDF文件</translation>
    </message>
    <message>
        <source>Remove file</source>
        <translation>不核验文件</translation>
    </message>
    <message>
        <source>PDF file:</source>
        <translation>PDF文件：</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>验证(&amp;V)</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>View the archived &amp;original…</source>
        <translation>查看存档原件(&amp;O)…</translation>
    </message>
    <message>
        <source>View the archived original</source>
        <translation>查看存档原件</translation>
    </message>
    <message>
        <source>&amp;Reprint…</source>
        <translation>补打(&amp;R)…</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <source>Make a new copy from the archive, marked as a reprint; the audit log records it.</source>
        <translation>按存档内容另出一份标注“补打”的新件，并记入审计日志。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Not checked yet. Type the number and the code, then press Enter or click Verify.</source>
        <translation>尚未验证。请输入编号和验证码，然后按回车键或点击“验证”。</translation>
    </message>
    <message>
        <source>What the archive holds under this number:</source>
        <translation>档案中该编号的记录：</translation>
    </message>
    <message>
        <source>Number:</source>
        <translation>编号：</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>文书类型：</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message>
        <source>Issued at:</source>
        <translation>出具时间：</translation>
    </message>
    <message>
        <source>Issued by:</source>
        <translation>出具人：</translation>
    </message>
    <message>
        <source>Reprints:</source>
        <translation>补打次数：</translation>
    </message>
    <message>
        <source>What the archived notice says:</source>
        <translation>存档文书内容：</translation>
    </message>
    <message>
        <source>What the archived notice says</source>
        <translation>存档文书内容</translation>
    </message>
    <message>
        <source>Choose the PDF file to check</source>
        <translation>选择要核验的PDF文件</translation>
    </message>
    <message>
        <source>PDF files (*.pdf);;All files (*)</source>
        <translation>PDF 文件 (*.pdf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>This file is far too large to be a notice of the hall.</source>
        <translation>该文件过大，不可能是本中心出具的文书。</translation>
    </message>
    <message>
        <source>The file cannot be read: {reason}</source>
        <translation>无法读取该文件：{reason}</translation>
    </message>
    <message>
        <source>Type the number printed on the notice.</source>
        <translation>请输入文书上印的编号。</translation>
    </message>
    <message>
        <source>Type the verification code printed on the notice.</source>
        <translation>请输入文书上印的验证码。</translation>
    </message>
    <message>
        <source>Genuine</source>
        <translation>真实有效</translation>
    </message>
    <message>
        <source>Not a genuine notice</source>
        <translation>不是真实文书</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
</TS>