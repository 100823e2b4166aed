<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountDialog</name>
    <message>
        <source>New service account</source>
        <translation>新建服务账号</translation>
    </message>
    <message>
        <source>New account</source>
        <translation>新建账号</translation>
    </message>
    <message>
        <source>letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;</source>
        <translation>字母、数字、“.”、“_”或“-”</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Linked officer:</source>
        <translation>关联民警：</translation>
    </message>
    <message>
        <source>Enter the user name and the person&apos;s name.</source>
        <translation>请填写用户名和使用人姓名。</translation>
    </message>
    <message>
        <source>The account was not created</source>
        <translation>账号未创建</translation>
    </message>
</context>
<context>
    <name>AccountsTab</name>
    <message>
        <source>New account…</source>
        <translation>新建账号…</translation>
    </message>
    <message>
        <source>New service account…</source>
        <translation>新建服务账号…</translation>
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
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Change role…</source>
        <translation>变更角色…</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Service account</source>
        <translation>服务账号</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>密码修改时间</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Locked until {time}</source>
        <translation>锁定至 {time}</translation>
    </message>
    <message>
        <source>Active (must change password)</source>
        <translation>正常（须修改初始密码）</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Initial password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <source>The initial password of {user}. Hand it over now: it is shown only this once, and must be changed at the first sign-in.</source>
        <translation>{user} 的初始密码。请当即交给本人：密码只显示这一次，首次登录时必须修改。</translation>
    </message>
    <message>
        <source>Service account token</source>
        <translation>服务账号令牌</translation>
    </message>
    <message>
        <source>The token of {user}, for scripts that sign in as a service account. It is shown only this once: copy it or save it to a file that only the script&apos;s user can read.</source>
        <translation>{user} 的令牌，供以服务账号登录的脚本使用。令牌只显示这一次：请复制，或保存到只有脚本运行用户能读取的文件。</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Give {user} a new initial password? The old one stops working at once.</source>
        <translation>为 {user} 生成新的初始密码？原密码立即失效。</translation>
    </message>
    <message>
        <source>The password was not reset</source>
        <translation>密码未重置</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>The new initial password of {user}. It is shown only this once and must be changed at the next sign-in.</source>
        <translation>{user} 的新初始密码。只显示这一次，下次登录时必须修改。</translation>
    </message>
    <message>
        <source>The account was not unlocked</source>
        <translation>账号未解锁</translation>
    </message>
    <message>
        <source>{user} is unlocked.</source>
        <translation>{user} 已解锁。</translation>
    </message>
    <message>
        <source>Disable account</source>
        <translation>停用账号</translation>
    </message>
    <message>
        <source>Disable {user}? They can no longer sign in until the account is enabled again.</source>
        <translation>停用 {user}？重新启用之前该账号无法登录。</translation>
    </message>
    <message>
        <source>The account was not changed</source>
        <translation>账号未更改</translation>
    </message>
    <message>
        <source>{user} is disabled.</source>
        <translation>{user} 已停用。</translation>
    </message>
    <message>
        <source>{user} is enabled.</source>
        <translation>{user} 已启用。</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>变更角色</translation>
    </message>
    <message>
        <source>New role of {user}:</source>
        <translation>{user} 的新角色：</translation>
    </message>
    <message>
        <source>The role was not changed</source>
        <translation>角色未变更</translation>
    </message>
    <message>
        <source>{user} is now {role}.</source>
        <translation>{user} 现为{role}。</translation>
    </message>
</context>
<context>
    <name>AdminLabels</name>
    <message>
        <source>Duty operator</source>
        <translation>值班员</translation>
    </message>
    <message>
        <source>Duty leader / chief</source>
        <translation>值班领导 / 所长</translation>
    </message>
    <message>
        <source>Community officer</source>
        <translation>社区民警</translation>
    </message>
    <message>
        <source>System administrator</source>
        <translation>系统管理员</translation>
    </message>
    <message>
        <source>Security officer</source>
        <translation>安全保密管理员</translation>
    </message>
    <message>
        <source>Security auditor</source>
        <translation>安全审计员</translation>
    </message>
    <message>
        <source>view incidents</source>
        <translation>查看警情</translation>
    </message>
    <message>
        <source>see personal data unmasked</source>
        <translation>查看未脱敏的个人信息</translation>
    </message>
    <message>
        <source>reveal personal data</source>
        <translation>显示个人信息明文</translation>
    </message>
    <message>
        <source>take calls</source>
        <translation>接警登记</translation>
    </message>
    <message>
        <source>dispatch</source>
        <translation>派警处警</translation>
    </message>
    <message>
        <source>divert non-police calls</source>
        <translation>非警务分流</translation>
    </message>
    <message>
        <source>work on disputes and warning orders</source>
        <translation>办理矛盾纠纷和预警指令</translation>
    </message>
    <message>
        <source>issue tasks</source>
        <translation>下发任务</translation>
    </message>
    <message>
        <source>review tasks</source>
        <translation>审核任务</translation>
    </message>
    <message>
        <source>work on their own tasks</source>
        <translation>办理本人任务</translation>
    </message>
    <message>
        <source>view the dashboard</source>
        <translation>查看态势</translation>
    </message>
    <message>
        <source>edit code tables</source>
        <translation>维护代码表</translation>
    </message>
    <message>
        <source>import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>back up and restore</source>
        <translation>备份和恢复</translation>
    </message>
    <message>
        <source>manage accounts</source>
        <translation>管理账号</translation>
    </message>
    <message>
        <source>assign roles</source>
        <translation>分配角色</translation>
    </message>
    <message>
        <source>manage keys and trusted peers</source>
        <translation>管理密钥和可信单位</translation>
    </message>
    <message>
        <source>change the security policy</source>
        <translation>修改安全策略</translation>
    </message>
    <message>
        <source>read the audit trail</source>
        <translation>查阅审计日志</translation>
    </message>
    <message>
        <source>{user} ({role}) may not {action}.</source>
        <translation>{user}（{role}）无权{action}。</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <source>Account locked</source>
        <translation>账号锁定</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Session locked</source>
        <translation>会话锁定</translation>
    </message>
    <message>
        <source>Session unlocked</source>
        <translation>会话解锁</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Personal data revealed</source>
        <translation>显示个人信息</translation>
    </message>
    <message>
        <source>Access denied</source>
        <translation>拒绝访问</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Bulk load</source>
        <translation>批量载入</translation>
    </message>
    <message>
        <source>Role changed</source>
        <translation>变更角色</translation>
    </message>
    <message>
        <source>Audit trail exported</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <source>Audit trail archived and purged</source>
        <translation>审计日志归档清理</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Denied</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>警情</translation>
    </message>
    <message>
        <source>Incident event</source>
        <translation>警情事件</translation>
    </message>
    <message>
        <source>Incident category</source>
        <translation>警情类别</translation>
    </message>
    <message>
        <source>Category group</source>
        <translation>类别分组</translation>
    </message>
    <message>
        <source>Dispute</source>
        <translation>矛盾纠纷</translation>
    </message>
    <message>
        <source>Dispute party</source>
        <translation>纠纷当事人</translation>
    </message>
    <message>
        <source>Dispute&apos;s incident</source>
        <translation>纠纷关联警情</translation>
    </message>
    <message>
        <source>Dispute&apos;s task</source>
        <translation>纠纷关联任务</translation>
    </message>
    <message>
        <source>Dispute category</source>
        <translation>纠纷类别</translation>
    </message>
    <message>
        <source>Diversion</source>
        <translation>非警务分流</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>联动单位</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Task event</source>
        <translation>任务事件</translation>
    </message>
    <message>
        <source>Task&apos;s incident</source>
        <translation>任务关联警情</translation>
    </message>
    <message>
        <source>Task template</source>
        <translation>任务模板</translation>
    </message>
    <message>
        <source>Warning order</source>
        <translation>预警指令</translation>
    </message>
    <message>
        <source>Warning time limit</source>
        <translation>预警时限</translation>
    </message>
    <message>
        <source>Loop event</source>
        <translation>闭环记录</translation>
    </message>
    <message>
        <source>Repeat-call pattern</source>
        <translation>重复报警线索</translation>
    </message>
    <message>
        <source>Repeat-call pattern&apos;s incident</source>
        <translation>重复报警关联警情</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Password history</source>
        <translation>密码历史</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>民警</translation>
    </message>
    <message>
        <source>Officer&apos;s community</source>
        <translation>民警责任社区</translation>
    </message>
    <message>
        <source>Patrol unit</source>
        <translation>巡逻组</translation>
    </message>
    <message>
        <source>Patrol unit member</source>
        <translation>巡逻组成员</translation>
    </message>
    <message>
        <source>Unit duty change</source>
        <translation>巡逻组勤务变更</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Police post</source>
        <translation>警务室</translation>
    </message>
    <message>
        <source>Key place</source>
        <translation>重点场所</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>派出所</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Trusted peer</source>
        <translation>可信单位</translation>
    </message>
    <message>
        <source>Sync conflict</source>
        <translation>同步冲突</translation>
    </message>
    <message>
        <source>Change package</source>
        <translation>变更包</translation>
    </message>
    <message>
        <source>Deletion record</source>
        <translation>删除记录</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Demo station</source>
        <translation>演示派出所</translation>
    </message>
    <message>
        <source>Minimum password length</source>
        <translation>密码最短长度</translation>
    </message>
    <message>
        <source>Character kinds required (of 4)</source>
        <translation>须含字符种类（共 4 种）</translation>
    </message>
    <message>
        <source>Password expires after (days, 0 = never)</source>
        <translation>密码有效期（天，0 为永不过期）</translation>
    </message>
    <message>
        <source>Recent passwords that may not be reused</source>
        <translation>不得重复使用的近期密码个数</translation>
    </message>
    <message>
        <source>Failed sign-ins before lockout</source>
        <translation>锁定前允许的登录失败次数</translation>
    </message>
    <message>
        <source>Lockout (minutes)</source>
        <translation>锁定时长（分钟）</translation>
    </message>
    <message>
        <source>Lock an idle session after (minutes)</source>
        <translation>无操作锁屏时间（分钟）</translation>
    </message>
    <message>
        <source>Keep audit records (days)</source>
        <translation>审计记录保存期（天）</translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <source>Your role has no administration tasks.</source>
        <translation>您的角色没有系统管理权限。</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Security policy</source>
        <translation>安全策略</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>The administration screen is still reading.</source>
        <translation>系统管理页面仍在读取数据。</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Building the demo station on first start…</source>
        <translation>首次启动，正在生成演示派出所数据……</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Station Console</source>
        <translation>派出所综合指挥室工作台</translation>
    </message>
    <message>
        <source>Building the demo station was cancelled; {path} was left empty.</source>
        <translation>已取消生成演示数据；{path} 保持为空。</translation>
    </message>
    <message>
        <source>The database cannot be opened; nothing was changed.</source>
        <translation>无法打开数据库，未做任何改动。</translation>
    </message>
    <message>
        <source>This is an initial password: choose your own before you go on.</source>
        <translation>这是初始密码：请先设置您自己的密码再继续。</translation>
    </message>
    <message>
        <source>Your password has expired: choose a new one before you go on.</source>
        <translation>您的密码已过期：请先设置新密码再继续。</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>Time</source>
        <extracomment>How far (in records) a search for one record, e.g. the first broken one, reads before it gives up and asks for a narrower filter. Keys of before/after values that hold personal data, and how each is masked. Tables whose ``name`` column is a person&apos;s name (not a place or a department).</extracomment>
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
        <source>Object type</source>
        <translation>对象类型</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>AuditTab</name>
    <message>
        <source>Choose a record to see its details.</source>
        <extracomment>The outcome of the last verification.</extracomment>
        <translation>选择一条记录查看详情。</translation>
    </message>
    <message>
        <source>Verify chain</source>
        <translation>校验哈希链</translation>
    </message>
    <message>
        <source>Recompute every record&apos;s hash and name the first record that was changed, removed or reordered</source>
        <translation>重新计算每条记录的哈希，指出第一条被修改、删除或调换顺序的记录</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Write the records matching the filter to a CSV file, with their hashes</source>
        <translation>把符合筛选条件的记录连同哈希写入 CSV 文件</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
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
        <source>Object:</source>
        <translation>对象：</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Text in object, details or workstation</source>
        <translation>对象、详情或工作站中的文字</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在查询…</translation>
    </message>
    <message>
        <source>{total} records ({shown} loaded)</source>
        <translation>共 {total} 条记录（已载入 {shown} 条）</translation>
    </message>
    <message>
        <source>Reading the audit trail failed: {error}</source>
        <translation>读取审计日志失败：{error}</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
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
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <source>Changed fields</source>
        <translation>变更的字段</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Verifying the chain…</source>
        <translation>正在校验哈希链…</translation>
    </message>
    <message>
        <source>Chain intact: {count} records verified.</source>
        <translation>哈希链完整：已校验 {count} 条记录。</translation>
    </message>
    <message>
        <source>Chain broken at record {id}: {reason}</source>
        <translation>哈希链在第 {id} 号记录处断开：{reason}</translation>
    </message>
    <message>
        <source>(The record is not in the list as filtered: clear the filters or choose its date.)</source>
        <translation>（该记录不在当前筛选结果中：请清除筛选条件或选择它的日期。）</translation>
    </message>
    <message>
        <source>record {missing} is missing (deleted) before record {id}</source>
        <translation>第 {id} 号记录之前缺少第 {missing} 号记录（已被删除）</translation>
    </message>
    <message>
        <source>it does not follow the record before it (a record before it was changed, removed or reordered)</source>
        <translation>它与前一条记录接不上（其前面的记录被修改、删除或调换了顺序）</translation>
    </message>
    <message>
        <source>its content was changed after it was written</source>
        <translation>写入后内容被修改</translation>
    </message>
    <message>
        <source>Export audit records</source>
        <translation>导出审计记录</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>{count} records exported to {file}.</source>
        <translation>已导出 {count} 条记录到 {file}。</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
</context>
<context>
    <name>BoardScreen</name>
    <message>
        <source>Incidents</source>
        <extracomment>How often the board looks for incidents written by anyone else. Announcements of changes arriving within this many ms are taken in by one refresh. How long ``smoke_timings`` waits for one query before leaving its figure out. Selected incidents whose place is kept across a refresh (merge selections are small). The widest number the board is sized for, and the cell&apos;s padding around it (px). The permission each toolbar command needs. Toolbar commands the signed-in account may not use (the services refuse them too).</extracomment>
        <translation>警情</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在查询……</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭提示</translation>
    </message>
    <message>
        <source>New intake</source>
        <translation>接警登记</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派警</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>处置完毕</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Merge duplicates</source>
        <translation>合并重复警情</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>警力</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Divert</source>
        <translation>分流</translation>
    </message>
    <message>
        <source>Issue task</source>
        <translation>下发任务</translation>
    </message>
    <message>
        <source>Reveal caller</source>
        <translation>查看报警人信息</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Sound alert</source>
        <translation>声音提醒</translation>
    </message>
    <message>
        <source>Beep when a new urgent incident arrives</source>
        <translation>有新的紧急警情时发出提示音</translation>
    </message>
    <message>
        <source>The list could not be loaded: {error}</source>
        <translation>警情列表加载失败：{error}</translation>
    </message>
    <message>
        <source>● Live</source>
        <translation>● 实时</translation>
    </message>
    <message>
        <source>Changes made on other workstations appear at once.</source>
        <translation>其他工作站的改动会立即显示。</translation>
    </message>
    <message>
        <source>Live updates interrupted — reconnecting…</source>
        <translation>实时更新中断，正在重新连接…</translation>
    </message>
    <message>
        <source>The board checks for changes every few seconds until the server answers again.
{problem}</source>
        <translation>在服务器恢复应答前，警情列表每隔几秒检查一次改动。
{problem}</translation>
    </message>
    <message>
        <source>⚠ New urgent incident {number}: {category} — {address}</source>
        <translation>⚠ 新紧急警情 {number}：{category} — {address}</translation>
    </message>
    <message>
        <source>(+{count} more)</source>
        <translation>（另有 {count} 起）</translation>
    </message>
    <message>
        <source>↑ {count} new</source>
        <translation>↑ {count} 条新警情</translation>
    </message>
    <message>
        <source>{count} incidents</source>
        <translation>共 {count} 起警情</translation>
    </message>
    <message>
        <source>⚠ Overdue: {count}</source>
        <translation>⚠ 超时警情：{count}</translation>
    </message>
    <message>
        <source>No overdue incidents</source>
        <translation>无超时警情</translation>
    </message>
    <message>
        <source>Your role may not do this.</source>
        <translation>您的角色无权执行此操作。</translation>
    </message>
    <message>
        <source>Select an incident first.</source>
        <translation>请先选择一起警情。</translation>
    </message>
    <message>
        <source>{number} dispatched.</source>
        <translation>{number} 已派警。</translation>
    </message>
    <message>
        <source>Arrival of {number} recorded.</source>
        <translation>已记录 {number} 到场。</translation>
    </message>
    <message>
        <source>Resolve {number}</source>
        <translation>处置完毕 {number}</translation>
    </message>
    <message>
        <source>{number} resolved.</source>
        <translation>{number} 已处置完毕。</translation>
    </message>
    <message>
        <source>Close {number}</source>
        <translation>办结 {number}</translation>
    </message>
    <message>
        <source>Feedback: what was done and the result (required).</source>
        <translation>反馈：处置经过和结果（必填）。</translation>
    </message>
    <message>
        <source>{number} closed.</source>
        <translation>{number} 已办结。</translation>
    </message>
    <message>
        <source>Reopen {number}</source>
        <translation>重新打开 {number}</translation>
    </message>
    <message>
        <source>Why is the incident reopened? (recorded in the timeline)</source>
        <translation>重新打开的原因？（记入处置经过）</translation>
    </message>
    <message>
        <source>{number} reopened.</source>
        <translation>{number} 已重新打开。</translation>
    </message>
    <message>
        <source>Note on {number}</source>
        <translation>备注 {number}</translation>
    </message>
    <message>
        <source>The note is added to the incident&apos;s timeline.</source>
        <translation>备注将记入该警情的处置经过。</translation>
    </message>
    <message>
        <source>Note added to {number}.</source>
        <translation>已为 {number} 添加备注。</translation>
    </message>
    <message>
        <source>Task {task} issued for {number}.</source>
        <translation>已为警情 {number} 下发任务 {task}。</translation>
    </message>
    <message>
        <source>{number} handed to {department}.</source>
        <translation>{number} 已移交{department}。</translation>
    </message>
    <message>
        <source>Merge {count} selected calls into {number}? They are closed and listed under it.</source>
        <translation>将选中的 {count} 条报警合并到 {number}？合并后这些报警办结，并列在该警情之下。</translation>
    </message>
    <message>
        <source>{count} calls merged into {number}.</source>
        <translation>已将 {count} 条报警合并到 {number}。</translation>
    </message>
    <message>
        <source>Incident {number} registered.</source>
        <translation>警情 {number} 已登记。</translation>
    </message>
    <message>
        <source>Incident {number} registered; its point is outside the jurisdiction (flagged).</source>
        <translation>警情 {number} 已登记；其坐标在辖区外（已标记）。</translation>
    </message>
    <message>
        <source>Export the incidents shown</source>
        <translation>导出当前列表中的警情</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件，UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Exporting incidents to {name}…</source>
        <translation>正在导出警情到 {name}……</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Exported {count} incidents to {path}.</source>
        <translation>已导出 {count} 起警情到 {path}。</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>导出已取消，未写入文件。</translation>
    </message>
    <message>
        <source>{count} incidents do not fit in one Excel sheet; narrow the filter or export CSV.</source>
        <translation>{count} 起警情超出单个 Excel 工作表的行数上限，请缩小筛选范围或导出 CSV。</translation>
    </message>
    <message>
        <source>Export failed: {error}</source>
        <translation>导出失败：{error}</translation>
    </message>
</context>
<context>
    <name>BoundaryDialog</name>
    <message>
        <source>Import boundaries</source>
        <extracomment>Property names that usually hold an area&apos;s name, tried in this order for the default.</extracomment>
        <translation>导入边界</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Communities</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>GeoJSON file</source>
        <translation>GeoJSON 文件</translation>
    </message>
    <message>
        <source>Areas</source>
        <translation>区域类型</translation>
    </message>
    <message>
        <source>Name property</source>
        <translation>名称属性</translation>
    </message>
    <message>
        <source>Community property</source>
        <translation>所属社区属性</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Areas are matched by name: a known name gets the new outline, a new name becomes a new area. Every incident is then given the community and grid that hold it.</source>
        <translation>按名称匹配区域：已有名称更新边界，新名称新增区域。随后每起警情按所在位置重新归属社区和网格。</translation>
    </message>
    <message>
        <source>Boundary file</source>
        <translation>边界文件</translation>
    </message>
    <message>
        <source>GeoJSON (*.geojson *.json)</source>
        <translation>GeoJSON 边界文件（*.geojson *.json）</translation>
    </message>
    <message>
        <source>The features of this file have no properties.</source>
        <translation>该文件的要素没有任何属性。</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>At least {n} characters and {k} of: lower case, upper case, digits, symbols; not one of your last {h} passwords.</source>
        <translation>至少 {n} 个字符，包含小写字母、大写字母、数字、符号中的至少 {k} 类；不得与最近 {h} 次的密码相同。</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
</context>
<context>
    <name>DashboardScreen</name>
    <message>
        <source>Dashboard</source>
        <extracomment>Categories shown in the category chart (the busiest). How often the dashboard looks for new data (two indexed max() reads). Open another screen on a drill-down&apos;s records: (&quot;loops&quot;, tab) or (&quot;tasks&quot;, officer id or None).</extracomment>
        <translation>研判</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Daily briefing…</source>
        <translation>日报…</translation>
    </message>
    <message>
        <source>Print preview…</source>
        <translation>打印预览…</translation>
    </message>
    <message>
        <source>Export charts…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <source>Scorecard weights…</source>
        <translation>考评权重…</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>统计周期</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>警情</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上期</translation>
    </message>
    <message>
        <source>Criminal</source>
        <translation>刑事</translation>
    </message>
    <message>
        <source>Property</source>
        <translation>侵财</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>重复报警</translation>
    </message>
    <message>
        <source>Non-police</source>
        <translation>非警务</translation>
    </message>
    <message>
        <source>5-min arrival</source>
        <translation>5分钟到场率</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>民警</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>队别</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Daily calls (grey: a year earlier)</source>
        <translation>每日警情（灰线：去年同期）</translation>
    </message>
    <message>
        <source>Busiest categories (click a bar)</source>
        <translation>主要警情类别（点击柱条查看）</translation>
    </message>
    <message>
        <source>Hour of day × weekday</source>
        <translation>时段 × 星期</translation>
    </message>
    <message>
        <source>Communities</source>
        <translation>分社区</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>Criminal cases</source>
        <translation>刑事警情</translation>
    </message>
    <message>
        <source>Property cases</source>
        <translation>侵财警情</translation>
    </message>
    <message>
        <source>Arrived within 5 min</source>
        <translation>5分钟到场率</translation>
    </message>
    <message>
        <source>Median dispatch time</source>
        <translation>派警用时中位数</translation>
    </message>
    <message>
        <source>Median arrival time</source>
        <translation>到场用时中位数</translation>
    </message>
    <message>
        <source>Non-police share</source>
        <translation>非警务占比</translation>
    </message>
    <message>
        <source>Diversion rate</source>
        <translation>非警务分流率</translation>
    </message>
    <message>
        <source>Repeat-call rate</source>
        <translation>重复报警率</translation>
    </message>
    <message>
        <source>Overdue now</source>
        <translation>当前超时</translation>
    </message>
    <message>
        <source>On-time warning answers</source>
        <translation>预警按时反馈率</translation>
    </message>
    <message>
        <source>On-time task sign-off</source>
        <translation>任务按时签收率</translation>
    </message>
    <message>
        <source>On-time task feedback</source>
        <translation>任务按时反馈率</translation>
    </message>
    <message>
        <source>Calls handled</source>
        <translation>处警数</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>办结率</translation>
    </message>
    <message>
        <source>Repeat calls at home</source>
        <translation>责任区重复报警</translation>
    </message>
    <message>
        <source>Tasks signed on time</source>
        <translation>任务按时签收</translation>
    </message>
    <message>
        <source>Officer scorecard (weighted indicators, 0–100; click an officer for the calls and tasks behind the score)</source>
        <translation>民警积分（加权指标，0–100；点击民警查看计分依据的警情和任务）</translation>
    </message>
    <message>
        <source>Disputes registered</source>
        <translation>新登记矛盾纠纷</translation>
    </message>
    <message>
        <source>Disputes resolved</source>
        <translation>化解矛盾纠纷</translation>
    </message>
    <message>
        <source>Feedback on time</source>
        <translation>按时反馈</translation>
    </message>
    <message>
        <source>Updating…</source>
        <translation>正在更新…</translation>
    </message>
    <message>
        <source>Could not compute the figures: %1</source>
        <translation>无法计算指标：%1</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <source> (so far)</source>
        <translation>（截至目前）</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <source>%1 pt</source>
        <translation>%1个百分点</translation>
    </message>
    <message>
        <source>open calls past their clock</source>
        <translation>未办结且已超出时限的警情</translation>
    </message>
    <message>
        <source>vs previous</source>
        <translation>环比</translation>
    </message>
    <message>
        <source>vs last year</source>
        <translation>同比</translation>
    </message>
    <message>
        <source>target %1 · %2 late</source>
        <translation>目标 %1 · 超时 %2 起</translation>
    </message>
    <message>
        <source>%1 of %2 on time</source>
        <translation>%2 件中按时 %1 件</translation>
    </message>
    <message>
        <source>none judged yet</source>
        <translation>暂无应计记录</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%2 起中 %1 起</translation>
    </message>
    <message>
        <source>Click to list these records</source>
        <translation>点击列出这些记录</translation>
    </message>
    <message>
        <source>Click to open these incidents on the board</source>
        <translation>点击在警情列表中查看这些警情</translation>
    </message>
    <message>
        <source>A year earlier</source>
        <translation>去年同期</translation>
    </message>
    <message>
        <source>Patrol</source>
        <translation>巡逻</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>办案</translation>
    </message>
    <message>
        <source>Command room</source>
        <translation>指挥室</translation>
    </message>
    <message>
        <source>Leadership</source>
        <translation>所领导</translation>
    </message>
    <message>
        <source>Tasks: sign-off</source>
        <translation>任务：签收</translation>
    </message>
    <message>
        <source>Tasks: feedback</source>
        <translation>任务：反馈</translation>
    </message>
    <message>
        <source>Scorecard weights</source>
        <translation>考评权重</translation>
    </message>
    <message>
        <source>Weight of each indicator (0 leaves it out):</source>
        <translation>各项指标的权重（0 表示不计入）：</translation>
    </message>
    <message>
        <source>Writing the daily briefing…</source>
        <translation>正在生成日报…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Briefing written to %1</source>
        <translation>日报已保存到 %1</translation>
    </message>
    <message>
        <source>Daily briefing</source>
        <translation>日报</translation>
    </message>
    <message>
        <source>The briefing could not be written: %1</source>
        <translation>日报无法生成：%1</translation>
    </message>
    <message>
        <source>Save the daily briefing</source>
        <translation>保存日报</translation>
    </message>
    <message>
        <source>PDF (*.pdf);;Excel workbook (*.xlsx)</source>
        <translation>PDF 文件 (*.pdf);;Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export the charts as PNG to</source>
        <translation>将图表导出为 PNG 到</translation>
    </message>
    <message>
        <source>%1 charts saved</source>
        <translation>已保存 %1 张图表</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>接警单号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接警时间</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Select an incident in the list to see its details.</source>
        <translation>在列表中选择一起警情，查看详细信息。</translation>
    </message>
    <message>
        <source>Loops</source>
        <translation>闭环</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>处置经过</translation>
    </message>
    <message>
        <source>Related calls (double-click to open)</source>
        <translation>关联报警（双击打开）</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>计时</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Community / grid</source>
        <translation>社区 / 网格</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>报警人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Unit / officer</source>
        <translation>处警组 / 民警</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>简要警情</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处置结果</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Times</source>
        <translation>时间节点</translation>
    </message>
    <message>
        <source>merged into {number}</source>
        <translation>已合并到 {number}</translation>
    </message>
    <message>
        <source>{count} calls merged in</source>
        <translation>已并入 {count} 条报警</translation>
    </message>
    <message>
        <source>dispatched</source>
        <translation>派警</translation>
    </message>
    <message>
        <source>arrived</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>处置完毕</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>reopened</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Merged calls</source>
        <translation>已合并的报警</translation>
    </message>
    <message>
        <source>Same phone number</source>
        <translation>同一电话号码</translation>
    </message>
    <message>
        <source>Same address</source>
        <translation>同一地址</translation>
    </message>
    <message>
        <source>No other calls from this phone or address.</source>
        <translation>该电话或地址没有其他报警记录。</translation>
    </message>
    <message>
        <source>overdue by {time}</source>
        <translation>已超时 {time}</translation>
    </message>
    <message>
        <source>{time} left</source>
        <translation>剩余 {time}</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <source>Dispatch {number}</source>
        <translation>派警 {number}</translation>
    </message>
    <message>
        <source>(no officer)</source>
        <translation>（不指定民警）</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>民警</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派警</translation>
    </message>
    <message>
        <source>Units on a call or off duty cannot be sent. Pick a unit, an officer or both.</source>
        <translation>处警中或已下岗的警组不能派出。请选择警组、民警或两者。</translation>
    </message>
    <message>
        <source>Unit status board</source>
        <translation>处警组状态</translation>
    </message>
</context>
<context>
    <name>DisputeLabels</name>
    <message>
        <source>1 low</source>
        <translation>1 低</translation>
    </message>
    <message>
        <source>2 medium</source>
        <translation>2 中</translation>
    </message>
    <message>
        <source>3 high</source>
        <translation>3 高</translation>
    </message>
    <message>
        <source>registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>mediating</source>
        <translation>调解中</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已化解</translation>
    </message>
    <message>
        <source>unresolved</source>
        <translation>未化解</translation>
    </message>
    <message>
        <source>handed over</source>
        <translation>已移交</translation>
    </message>
</context>
<context>
    <name>DisputesTab</name>
    <message>
        <source>command room</source>
        <translation>指挥室</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未化解</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>全部等级</translation>
    </message>
    <message>
        <source>All communities</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <source>Stage:</source>
        <translation>阶段：</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>类别：</translation>
    </message>
    <message>
        <source>Risk:</source>
        <translation>风险：</translation>
    </message>
    <message>
        <source>Community:</source>
        <translation>社区：</translation>
    </message>
    <message>
        <source>Dispute</source>
        <translation>纠纷</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <source>Register…</source>
        <translation>登记…</translation>
    </message>
    <message>
        <source>Start mediation</source>
        <translation>开始调解</translation>
    </message>
    <message>
        <source>Resolved…</source>
        <translation>已化解…</translation>
    </message>
    <message>
        <source>Not resolved…</source>
        <translation>未化解…</translation>
    </message>
    <message>
        <source>Hand over…</source>
        <translation>移交…</translation>
    </message>
    <message>
        <source>Link incident…</source>
        <translation>关联警情…</translation>
    </message>
    <message>
        <source>Schedule revisit</source>
        <translation>安排回访</translation>
    </message>
    <message>
        <source>registered</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>mediation started</source>
        <translation>开始调解</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已化解</translation>
    </message>
    <message>
        <source>not resolved</source>
        <translation>调解未果</translation>
    </message>
    <message>
        <source>handed over</source>
        <translation>移交</translation>
    </message>
    <message>
        <source>reopened and escalated</source>
        <translation>重新激化，升级</translation>
    </message>
    <message>
        <source>incident linked</source>
        <translation>关联警情</translation>
    </message>
    <message>
        <source>revisit scheduled</source>
        <translation>安排回访</translation>
    </message>
    <message>
        <source> (reopened)</source>
        <translation>（再次激化）</translation>
    </message>
    <message>
        <source>{count} disputes</source>
        <translation>{count} 起纠纷</translation>
    </message>
    <message>
        <source>Select a dispute to see its parties, incidents and events.</source>
        <translation>选择一起纠纷，查看当事人、关联警情和处理记录。</translation>
    </message>
    <message>
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Linked incidents</source>
        <translation>关联警情</translation>
    </message>
    <message>
        <source>Revisit tasks</source>
        <translation>回访任务</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>处理经过</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>How was it resolved?</source>
        <translation>如何化解的？</translation>
    </message>
    <message>
        <source>Why did mediation fail?</source>
        <translation>调解为何未成功？</translation>
    </message>
    <message>
        <source>Handed over to (judicial office, mediation committee, court):</source>
        <translation>移交给（司法所、人民调解委员会、法院）：</translation>
    </message>
    <message>
        <source>Incident number:</source>
        <translation>警情编号：</translation>
    </message>
    <message>
        <source>Revisit scheduled</source>
        <translation>已安排回访</translation>
    </message>
    <message>
        <source>Task {task} issued to {officer}.</source>
        <translation>任务 {task} 已派给 {officer}。</translation>
    </message>
    <message>
        <source>Not possible</source>
        <translation>无法操作</translation>
    </message>
</context>
<context>
    <name>DistrictScreen</name>
    <message>
        <source>District</source>
        <extracomment>Rows the table shows before it scrolls (a district has up to about twenty stations).</extracomment>
        <translation>分局视图</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>警情</translation>
    </message>
    <message>
        <source>Criminal cases</source>
        <translation>刑事警情</translation>
    </message>
    <message>
        <source>Arrived within 5 min</source>
        <translation>5分钟到场率</translation>
    </message>
    <message>
        <source>Median arrival time</source>
        <translation>到场用时中位数</translation>
    </message>
    <message>
        <source>Non-police share</source>
        <translation>非警务占比</translation>
    </message>
    <message>
        <source>Diversion rate</source>
        <translation>非警务分流率</translation>
    </message>
    <message>
        <source>Repeat-call rate</source>
        <translation>重复报警率</translation>
    </message>
    <message>
        <source>Signed on time</source>
        <translation>任务按时签收率</translation>
    </message>
    <message>
        <source>Feedback on time</source>
        <translation>任务按时反馈率</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Comparison report…</source>
        <translation>对比报表…</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>派出所</translation>
    </message>
    <message>
        <source>Chart</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Each station&apos;s incidents are those whose last change it wrote (the origin in the change packages). Its tasks are as its latest package reported them (number, state and times only), judged now. Disputes and warning orders stay in each station&apos;s own database and are not compared here.</source>
        <translation>各所警情按最后写入单位归属（变更包中的来源单位）。任务按各所最近一个变更包上报的情况（仅编号、状态和时间）于当前判定。矛盾纠纷和预警指令台账留在各所本地，不在此比较。</translation>
    </message>
    <message>
        <source>Updating…</source>
        <translation>正在更新…</translation>
    </message>
    <message>
        <source>Could not compute the figures: %1</source>
        <translation>无法计算指标：%1</translation>
    </message>
    <message>
        <source>%1 to %2, %3 stations</source>
        <translation>%1 至 %2，共 %3 个派出所</translation>
    </message>
    <message>
        <source> (so far)</source>
        <translation>（截至目前）</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>更新于 %1</translation>
    </message>
    <message>
        <source>%1 pt</source>
        <translation>%1 个百分点</translation>
    </message>
    <message>
        <source>District total</source>
        <translation>全局合计</translation>
    </message>
    <message>
        <source>Previous period: %1</source>
        <translation>上期：%1</translation>
    </message>
    <message>
        <source>This database&apos;s own station</source>
        <translation>本库所属单位</translation>
    </message>
    <message>
        <source>Last package applied %1; its tasks are as of then</source>
        <translation>最近一次变更包于 %1 导入，任务数据截至该时</translation>
    </message>
    <message>
        <source>This period</source>
        <translation>本期</translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation>上期</translation>
    </message>
    <message>
        <source>min</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>Save the comparison report</source>
        <translation>保存对比报表</translation>
    </message>
    <message>
        <source>PDF (*.pdf);;Excel workbook (*.xlsx)</source>
        <translation>PDF (*.pdf);;Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message>
        <source>Report saved to %1</source>
        <translation>报表已保存到 %1</translation>
    </message>
    <message>
        <source>Could not write the report: %1</source>
        <translation>无法写入报表：%1</translation>
    </message>
</context>
<context>
    <name>DivertDialog</name>
    <message>
        <source>Divert {number}</source>
        <translation>分流 {number}</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Joint platform / 12345 work order</source>
        <translation>联动平台 / 12345 工单</translation>
    </message>
    <message>
        <source>On site</source>
        <translation>现场移交</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>书面移交</translation>
    </message>
    <message>
        <source>Who took it, or the work order number</source>
        <translation>接收人或工单号</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>部门：</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>方式：</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>联系人：</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
</context>
<context>
    <name>FeedbackDialog</name>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Feedback: {title}</source>
        <translation>反馈：{title}</translation>
    </message>
    <message>
        <source>Standard: {text}</source>
        <translation>工作标准：{text}</translation>
    </message>
    <message>
        <source>Fields marked * are required.</source>
        <translation>带 * 的为必填项。</translation>
    </message>
    <message>
        <source>{count} answer(s) need attention.</source>
        <translation>有 {count} 项需要修改。</translation>
    </message>
    <message>
        <source>An answer is required.</source>
        <translation>此项必填。</translation>
    </message>
    <message>
        <source>Pick one of the listed options.</source>
        <translation>请从列出的选项中选择。</translation>
    </message>
    <message>
        <source>Answer yes or no.</source>
        <translation>请选择“是”或“否”。</translation>
    </message>
    <message>
        <source>Enter a number.</source>
        <translation>请输入数字。</translation>
    </message>
    <message>
        <source>The number is too small.</source>
        <translation>数值过小。</translation>
    </message>
    <message>
        <source>The number is too large.</source>
        <translation>数值过大。</translation>
    </message>
    <message>
        <source>Enter a date and time.</source>
        <translation>请输入日期和时间。</translation>
    </message>
    <message>
        <source>Keep it to one line.</source>
        <translation>请只写一行。</translation>
    </message>
    <message>
        <source>The text is too long.</source>
        <translation>内容过长。</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>This shift</source>
        <translation>本班次</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>近24小时</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>近7天</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <source>Custom range…</source>
        <translation>自定义时段……</translation>
    </message>
    <message>
        <source>From (inclusive)</source>
        <translation>起（含）</translation>
    </message>
    <message>
        <source>Until (exclusive)</source>
        <translation>止（不含）</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>All communities</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <source>Search number, address, description, caller or phone (4+ digits)</source>
        <translation>搜索单号、地址、警情内容、报警人或电话（4位以上数字）</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>hours %1</source>
        <translation>时段 %1</translation>
    </message>
    <message>
        <source>dispatch recorded</source>
        <translation>已记录派警</translation>
    </message>
    <message>
        <source>arrival recorded</source>
        <translation>已记录到场</translation>
    </message>
    <message>
        <source>arrived within 5 minutes</source>
        <translation>5 分钟内到场</translation>
    </message>
    <message>
        <source>arrived after 5 minutes</source>
        <translation>超过 5 分钟到场</translation>
    </message>
    <message>
        <source>area drawn on the map</source>
        <translation>地图圈选区域</translation>
    </message>
    <message>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
</context>
<context>
    <name>FirstAccountsDialog</name>
    <message>
        <source>Create the first accounts</source>
        <translation>创建初始账号</translation>
    </message>
    <message>
        <source>This database has no accounts yet. Create the system administrator, the security officer and the auditor; the administrator then creates the duty accounts.</source>
        <translation>该数据库尚无账号。请创建系统管理员、安全保密管理员和安全审计员账号；值班等业务账号由系统管理员随后创建。</translation>
    </message>
    <message>
        <source>user name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Give three different user names.</source>
        <translation>请填写三个不同的用户名。</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import an incident feed</source>
        <translation>导入警情数据</translation>
    </message>
    <message>
        <source>CSV, TSV, XLSX, JSON or NDJSON file</source>
        <translation>CSV、TSV、XLSX、JSON 或 NDJSON 文件</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Save profile as…</source>
        <translation>映射方案另存为…</translation>
    </message>
    <message>
        <source>Import the valid rows and write the rejected ones beside the file</source>
        <translation>导入有效行，被拒的行另存到文件旁</translation>
    </message>
    <message>
        <source>Feed file</source>
        <translation>数据文件</translation>
    </message>
    <message>
        <source>Mapping profile</source>
        <translation>映射方案</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Preview shows the first rows as they will be stored; Check reads the whole file and lists every problem.</source>
        <translation>预览显示前几行入库后的样子；“检查”读取整个文件并列出所有问题。</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接警时间</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>In jurisdiction</source>
        <translation>辖区内</translation>
    </message>
    <message>
        <source>Caller phone</source>
        <translation>报警电话</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>简要警情</translation>
    </message>
    <message>
        <source>Choose a feed file</source>
        <translation>选择数据文件</translation>
    </message>
    <message>
        <source>Feeds (*.csv *.tsv *.txt *.xlsx *.json *.ndjson *.jsonl);;All files (*)</source>
        <translation>数据文件 (*.csv *.tsv *.txt *.xlsx *.json *.ndjson *.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save profile</source>
        <translation>保存映射方案</translation>
    </message>
    <message>
        <source>Profile name:</source>
        <translation>方案名称：</translation>
    </message>
    <message>
        <source>The profile was not saved: {error}</source>
        <translation>映射方案未保存：{error}</translation>
    </message>
    <message>
        <source>Profile {name} saved.</source>
        <translation>映射方案 {name} 已保存。</translation>
    </message>
    <message>
        <source>Choose an existing feed file first.</source>
        <translation>请先选择一个已存在的数据文件。</translation>
    </message>
    <message>
        <source>The profile cannot be used: {error}</source>
        <translation>该映射方案无法使用：{error}</translation>
    </message>
    <message>
        <source>Cancelled; the database is as it was.</source>
        <translation>已取消，数据库未作改动。</translation>
    </message>
    <message>
        <source>The import failed: {error}</source>
        <translation>导入失败：{error}</translation>
    </message>
    <message>
        <source>Reading the first rows…</source>
        <translation>正在读取前几行…</translation>
    </message>
    <message>
        <source>Preview of {count} rows; {bad} with problems.</source>
        <translation>预览 {count} 行，其中 {bad} 行有问题。</translation>
    </message>
    <message>
        <source>Checking {name}…</source>
        <translation>正在检查 {name}…</translation>
    </message>
    <message>
        <source>Importing {name}…</source>
        <translation>正在导入 {name}…</translation>
    </message>
    <message>
        <source>{outcome}: read {read}, inserted {inserted}, updated {updated}, unchanged {unchanged}, rejected {rejected}; {outside} outside the jurisdiction.</source>
        <translation>{outcome}：读取 {read}，新增 {inserted}，更新 {updated}，未变 {unchanged}，拒绝 {rejected}；辖区外 {outside}。</translation>
    </message>
    <message>
        <source>{count} calls flagged as repeat calls.</source>
        <translation>{count} 起警情被标记为重复报警。</translation>
    </message>
    <message>
        <source>{count} calls are older than the repeat window and were not checked for repeat calls: scan them with Closed loops → Repeat calls → Scan history.</source>
        <translation>{count} 起警情早于重复报警统计窗口，导入时未做重复报警检查：请在“闭环 → 重复报警 → 扫描历史”中扫描。</translation>
    </message>
    <message>
        <source>… and {count} more problems</source>
        <translation>… 另有 {count} 个问题</translation>
    </message>
    <message>
        <source>Unknown categories: {values}</source>
        <translation>未知类别：{values}</translation>
    </message>
    <message>
        <source>Rejected rows were written to {path}</source>
        <translation>被拒的行已写入 {path}</translation>
    </message>
    <message>
        <source>No problems.</source>
        <translation>没有问题。</translation>
    </message>
</context>
<context>
    <name>IncidentLabels</name>
    <message>
        <source>New</source>
        <translation>待派警</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>已派警</translation>
    </message>
    <message>
        <source>On scene</source>
        <translation>已到场</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>处置完毕</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>High</source>
        <translation>较急</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>110 call</source>
        <extracomment>Background of rows whose clock has passed its limit.</extracomment>
        <translation>110报警</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话报警</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>来所报警</translation>
    </message>
    <message>
        <source>Patrol</source>
        <translation>巡逻发现</translation>
    </message>
    <message>
        <source>Warning order</source>
        <translation>预警指令</translation>
    </message>
    <message>
        <source>12345 hotline</source>
        <translation>12345热线</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Diverted</source>
        <translation>分流</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>On a call</source>
        <translation>出警中</translation>
    </message>
    <message>
        <source>Off duty</source>
        <translation>不在岗</translation>
    </message>
    <message>
        <source>Handled on scene</source>
        <translation>现场处置完毕</translation>
    </message>
    <message>
        <source>Mediated</source>
        <translation>调解成功</translation>
    </message>
    <message>
        <source>Case opened</source>
        <translation>受案立案</translation>
    </message>
    <message>
        <source>Referred to another department</source>
        <translation>移交其他部门</translation>
    </message>
    <message>
        <source>Diverted (non-police)</source>
        <translation>非警务分流</translation>
    </message>
    <message>
        <source>False alarm</source>
        <translation>无效警情</translation>
    </message>
    <message>
        <source>Nothing found</source>
        <translation>查无此事</translation>
    </message>
    <message>
        <source>Merged into another incident</source>
        <translation>已合并到其他警情</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接警</translation>
    </message>
    <message>
        <source>Reassigned</source>
        <translation>改派</translation>
    </message>
    <message>
        <source>Arrived on scene</source>
        <translation>到达现场</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Duplicate merged in</source>
        <translation>并入重复报警</translation>
    </message>
    <message>
        <source>Merged into</source>
        <translation>合并到</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>This cannot be done while the incident is “{status}”.</source>
        <translation>警情处于“{status}”状态，不能进行此操作。</translation>
    </message>
    <message>
        <source>This call was merged into another incident; work on the main incident.</source>
        <translation>该报警已合并到其他警情，请在主警情上操作。</translation>
    </message>
    <message>
        <source>Choose a patrol unit or an officer to dispatch.</source>
        <translation>请选择要派出的处警组或民警。</translation>
    </message>
    <message>
        <source>That unit is on another call. Choose an available unit.</source>
        <translation>该处警组正在出警，请选择空闲的处警组。</translation>
    </message>
    <message>
        <source>That unit is off duty. Choose an available unit.</source>
        <translation>该处警组不在岗，请选择空闲的处警组。</translation>
    </message>
    <message>
        <source>That unit is already on this incident.</source>
        <translation>该处警组已在处置本警情。</translation>
    </message>
    <message>
        <source>Choose the outcome of the incident.</source>
        <translation>请选择处置结果。</translation>
    </message>
    <message>
        <source>Unknown outcome code.</source>
        <translation>未知的处置结果代码。</translation>
    </message>
    <message>
        <source>Write the feedback before closing the incident.</source>
        <translation>办结前请填写反馈。</translation>
    </message>
    <message>
        <source>Give the reason for reopening the incident.</source>
        <translation>请填写重新打开的原因。</translation>
    </message>
    <message>
        <source>An incident cannot be merged into itself.</source>
        <translation>警情不能合并到自身。</translation>
    </message>
    <message>
        <source>The main incident is itself merged; merge into its main incident.</source>
        <translation>目标警情本身已被合并，请合并到其主警情。</translation>
    </message>
    <message>
        <source>Select the duplicate calls to merge (Ctrl+click in the list).</source>
        <translation>请选择要合并的重复报警（在列表中按住 Ctrl 点击）。</translation>
    </message>
    <message>
        <source>The note is empty.</source>
        <translation>备注内容为空。</translation>
    </message>
    <message>
        <source>The incident, unit or officer no longer exists.</source>
        <translation>该警情、处警组或民警已不存在。</translation>
    </message>
    <message>
        <source>That unit is on a call. Record its result before it goes off duty.</source>
        <translation>该警组正在处警，请先登记处警结果再下岗。</translation>
    </message>
    <message>
        <source>That unit already has this duty state.</source>
        <translation>该警组已是此在岗状态。</translation>
    </message>
    <message>
        <source>{number} was changed on another workstation meanwhile. It is shown as it is now: check it and act again.</source>
        <translation>{number} 在此期间已被其他工作站修改。现已显示其最新状态：请核对后重新操作。</translation>
    </message>
    <message>
        <source>{number} was changed meanwhile: “{event}” by {actor} at {time}. It is shown as it is now: check it and act again.</source>
        <translation>{number} 在此期间已被修改（{time} {actor}：“{event}”）。现已显示其最新状态：请核对后重新操作。</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>必填。</translation>
    </message>
    <message>
        <source>Not a mainland mobile (11 digits) or landline number with area code.</source>
        <translation>不是有效的手机号（11位）或带区号的固定电话。</translation>
    </message>
    <message>
        <source>An ID number has 18 characters: 17 digits and a digit or X.</source>
        <translation>身份证号为18位：17位数字加1位数字或X。</translation>
    </message>
    <message>
        <source>The birth date inside the ID number is not a real date.</source>
        <translation>身份证号中的出生日期无效。</translation>
    </message>
    <message>
        <source>The last character of the ID number does not match; check for a typo.</source>
        <translation>身份证号校验位不符，请检查是否输错。</translation>
    </message>
    <message>
        <source>Not in the code table; pick from the list.</source>
        <translation>不在代码表中，请从列表中选择。</translation>
    </message>
    <message>
        <source>The community cannot be told from the address; pick it from the list.</source>
        <translation>无法从地址判断所属社区，请从列表中选择。</translation>
    </message>
    <message>
        <source>The time is in the future.</source>
        <translation>时间晚于当前时间。</translation>
    </message>
    <message>
        <source>Too long.</source>
        <translation>内容过长。</translation>
    </message>
    <message>
        <source>Out of range: latitude 0.8 to 55.8, longitude 72 to 137.8 (WGS-84); are they swapped?</source>
        <translation>超出范围：纬度应在 0.8 至 55.8 之间，经度应在 72 至 137.8 之间（WGS-84）；是否把经纬度填反了？</translation>
    </message>
    <message>
        <source>Incident number</source>
        <translation>接警单号</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>警情类别</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>警情等级</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>报警人</translation>
    </message>
    <message>
        <source>Caller phone</source>
        <translation>报警电话</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>处警组</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>民警</translation>
    </message>
    <message>
        <source>Dispatched at</source>
        <translation>派警时间</translation>
    </message>
    <message>
        <source>Arrived at</source>
        <translation>到场时间</translation>
    </message>
    <message>
        <source>Resolved at</source>
        <translation>处置完毕时间</translation>
    </message>
    <message>
        <source>Closed at</source>
        <translation>办结时间</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处置结果</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>简要警情</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈</translation>
    </message>
</context>
<context>
    <name>IncidentTableModel</name>
    <message>
        <source>Number</source>
        <extracomment>Columns whose header click sorts (in SQL, on an index). The row object itself (an ``IncidentRow``) and its id, for the view and the detail pane. Pages kept in memory (about 5,000 rows): scrolling a million rows never grows the cache.</extracomment>
        <translation>接警单号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接警时间</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>计时</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Community / grid</source>
        <translation>社区 / 网格</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>处警组 / 民警</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Dispatch limit {limit}</source>
        <translation>派警时限 {limit}</translation>
    </message>
    <message>
        <source>Arrival limit {limit}</source>
        <translation>到场时限 {limit}</translation>
    </message>
    <message>
        <source>overdue by {time}</source>
        <translation>已超时 {time}</translation>
    </message>
    <message>
        <source>{time} left</source>
        <translation>剩余 {time}</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <source>New intake</source>
        <extracomment>Sources an operator registers by hand (110 calls and warnings arrive by feed). Typing pauses this long before the earlier calls are looked up.</extracomment>
        <translation>接警登记</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <source>(category default)</source>
        <translation>（按类别默认）</translation>
    </message>
    <message>
        <source>mobile 138… or landline 0571-…</source>
        <translation>手机 138…… 或固话 0571-……</translation>
    </message>
    <message>
        <source>18 characters, optional</source>
        <translation>18位，可不填</translation>
    </message>
    <message>
        <source>optional, e.g. 30.2741 (WGS-84)</source>
        <translation>可不填，例如 30.2741（WGS-84）</translation>
    </message>
    <message>
        <source>optional, e.g. 120.1551 (WGS-84)</source>
        <translation>可不填，例如 120.1551（WGS-84）</translation>
    </message>
    <message>
        <source>(derive from the point or the address)</source>
        <translation>（按坐标或地址推断）</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Category *</source>
        <translation>警情类别 *</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>警情等级</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>接警时间</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>报警人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Address *</source>
        <translation>发生地址 *</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>所属社区</translation>
    </message>
    <message>
        <source>What happened *</source>
        <translation>简要警情 *</translation>
    </message>
    <message>
        <source>Fields marked * are required. A phone number is required for phone and 110 calls.</source>
        <translation>带 * 的为必填项。电话报警和110报警须填写联系电话。</translation>
    </message>
    <message>
        <source>Earlier calls</source>
        <translation>既往报警</translation>
    </message>
    <message>
        <source>Type a phone number, ID number, address or point to see earlier calls.</source>
        <translation>输入电话、身份证号、地址或坐标后显示既往报警。</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接警时间</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Looking up earlier calls…</source>
        <translation>正在查询既往报警…</translation>
    </message>
    <message>
        <source>Earlier calls could not be read: {error}</source>
        <translation>无法读取既往报警：{error}</translation>
    </message>
    <message>
        <source>No earlier calls from this phone, ID number or address in the last {days} days, and none nearby just before.</source>
        <translation>近 {days} 天内该电话、身份证号或地址无既往报警，附近刚才也无相关报警。</translation>
    </message>
    <message>
        <source>one person, many calls</source>
        <translation>一人多警</translation>
    </message>
    <message>
        <source>one place, many calls</source>
        <translation>一地多警</translation>
    </message>
    <message>
        <source>Repeat call ({kinds}): the call reaches {threshold} calls within {days} days. It is flagged when saved; the community officer gets one follow-up task for the pattern.</source>
        <translation>重复报警（{kinds}）：{days} 天内已达 {threshold} 次。保存后即标记，并向社区民警下发一次回访任务（每个模式一次）。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Earlier calls found; below the repeat threshold ({threshold} calls within {days} days).</source>
        <translation>有既往报警，未达重复报警阈值（{days} 天内 {threshold} 次）。</translation>
    </message>
    <message>
        <source>Calls nearby in the last minutes may be the same event: merge them on the board once saved.</source>
        <translation>附近数分钟内的报警可能是同一事件：保存后可在警情列表中合并。</translation>
    </message>
    <message>
        <source>Same phone</source>
        <translation>同一电话</translation>
    </message>
    <message>
        <source>Same ID number</source>
        <translation>同一身份证号</translation>
    </message>
    <message>
        <source>Same address</source>
        <translation>同一地址</translation>
    </message>
    <message>
        <source>Same event (nearby, minutes apart)</source>
        <translation>同一事件（附近、相隔数分钟）</translation>
    </message>
    <message>
        <source>Not a number: type decimal degrees such as 30.2741.</source>
        <translation>不是数字：请填写十进制度数，例如 30.2741。</translation>
    </message>
    <message>
        <source>Nothing was saved: correct the marked fields.</source>
        <translation>未保存：请更正标出的字段。</translation>
    </message>
</context>
<context>
    <name>IssueTaskDialog</name>
    <message>
        <source>(choose the officer)</source>
        <translation>（请选择民警）</translation>
    </message>
    <message>
        <source>Issue task</source>
        <translation>下发任务</translation>
    </message>
    <message>
        <source>Issued by hand</source>
        <translation>手工下发</translation>
    </message>
    <message>
        <source>From incident {no} ({community})</source>
        <translation>来自警情 {no}（{community}）</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>标准件</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>责任民警</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>任务标题</translation>
    </message>
    <message>
        <source>Instructions</source>
        <translation>任务要求</translation>
    </message>
    <message>
        <source>Lead: {dept} · sign-off within {so} min · feedback within {fb} h
Measures: {measures}</source>
        <translation>牵头部门：{dept} · {so} 分钟内签收 · {fb} 小时内反馈
任务措施：{measures}</translation>
    </message>
    <message>
        <source>Choose the officer who receives the task.</source>
        <translation>请选择接收任务的民警。</translation>
    </message>
</context>
<context>
    <name>ItemsDialog</name>
    <message>
        <source>%1 · %2 to %3</source>
        <extracomment>Where each list&apos;s records live: the closed-loops tab or the task queue. A screen to open on these records: (&quot;loops&quot;, tab name) or (&quot;tasks&quot;, officer id or None).</extracomment>
        <translation>%1 · %2 至 %3</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>received</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>reviewed</source>
        <translation>已研判</translation>
    </message>
    <message>
        <source>verification dispatched</source>
        <translation>已派发核查</translation>
    </message>
    <message>
        <source>verification fed back</source>
        <translation>已核查反馈</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>民警</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>化解时间</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>反馈时间</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>签收时间</translation>
    </message>
    <message>
        <source>Fed back</source>
        <translation>反馈时间</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到场时间</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>下发时间</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>是否按时</translation>
    </message>
    <message>
        <source>%1 disputes</source>
        <translation>矛盾纠纷 %1 起</translation>
    </message>
    <message>
        <source>%1 of %2 answered warnings within their limit</source>
        <translation>已反馈预警 %2 条，其中按时 %1 条</translation>
    </message>
    <message>
        <source>%1 of %2 tasks signed on time (unsigned ones count once their limit passed)</source>
        <translation>应签收任务 %2 件，其中按时签收 %1 件（未签收的超过时限后计入）</translation>
    </message>
    <message>
        <source>%1 of %2 tasks fed back on time (missing feedback counts once its limit passed)</source>
        <translation>应反馈任务 %2 件，其中按时反馈 %1 件（未反馈的超过时限后计入）</translation>
    </message>
    <message>
        <source>%1 calls handled; %2 of %3 police calls with an arrival arrived within 5 min</source>
        <translation>处置警情 %1 起；有到场记录的警务类警情 %3 起，其中5分钟内到场 %2 起</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>按时</translation>
    </message>
    <message>
        <source>late</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>The list could not be read: %1</source>
        <translation>无法读取列表：%1</translation>
    </message>
    <message>
        <source>Open in Closed loops</source>
        <translation>在闭环管理中打开</translation>
    </message>
    <message>
        <source>Open the task queue</source>
        <translation>打开任务队列</translation>
    </message>
</context>
<context>
    <name>KeysDialog</name>
    <message>
        <source>Keys and trusted peers</source>
        <translation>密钥与受信任的对端</translation>
    </message>
    <message>
        <source>This station</source>
        <translation>本站</translation>
    </message>
    <message>
        <source>Save name</source>
        <translation>保存名称</translation>
    </message>
    <message>
        <source>Create signing key</source>
        <translation>生成签名密钥</translation>
    </message>
    <message>
        <source>Save card to a file…</source>
        <translation>名片另存为文件…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Station id</source>
        <translation>站点标识</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>名片</translation>
    </message>
    <message>
        <source>Give the card to each peer&apos;s administrator, and compare the fingerprint with them by phone before they register it.</source>
        <translation>把名片交给各对端的管理员，对方登记前请电话核对指纹。</translation>
    </message>
    <message>
        <source>Trusted peers</source>
        <translation>受信任的对端</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <source>Packages sent</source>
        <translation>已发送包</translation>
    </message>
    <message>
        <source>Packages applied</source>
        <translation>已应用包</translation>
    </message>
    <message>
        <source>Add from a card file…</source>
        <translation>从名片文件添加…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>No signing key yet: create one before exporting packages.</source>
        <translation>尚无签名密钥：导出变更包前请先生成。</translation>
    </message>
    <message>
        <source>Ed25519, fingerprint {fingerprint}</source>
        <translation>Ed25519，指纹 {fingerprint}</translation>
    </message>
    <message>
        <source>Save card</source>
        <translation>保存名片</translation>
    </message>
    <message>
        <source>Peer card (*.card *.txt)</source>
        <translation>对端名片 (*.card *.txt)</translation>
    </message>
    <message>
        <source>Card saved to {path}.</source>
        <translation>名片已保存到 {path}。</translation>
    </message>
    <message>
        <source>Only the security officer registers peers.</source>
        <translation>只有安全保密管理员可以登记对端。</translation>
    </message>
    <message>
        <source>Not registered: {error}</source>
        <translation>未登记：{error}</translation>
    </message>
    <message>
        <source>{name} is trusted (fingerprint {fingerprint}).</source>
        <translation>已信任 {name}（指纹 {fingerprint}）。</translation>
    </message>
    <message>
        <source>Peer card</source>
        <translation>对端名片</translation>
    </message>
    <message>
        <source>Peer card (*.card *.txt);;All files (*)</source>
        <translation>对端名片 (*.card *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Trust a peer</source>
        <translation>信任对端</translation>
    </message>
    <message>
        <source>Fingerprint {fingerprint}: compare it with the peer before you trust it.
Name of the peer:</source>
        <translation>指纹 {fingerprint}：信任前请与对端核对。
对端名称：</translation>
    </message>
    <message>
        <source>Stop trusting {name}? Its packages are refused from then on.</source>
        <translation>不再信任 {name}？此后将拒收其变更包。</translation>
    </message>
    <message>
        <source>Only the security officer removes peers.</source>
        <translation>只有安全保密管理员可以移除对端。</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>The console is locked</source>
        <translation>工作台已锁定</translation>
    </message>
    <message>
        <source>Signed in: {who}. Enter your password to go on; your work is kept as you left it.</source>
        <translation>当前登录：{who}。输入密码即可继续，您的工作保持原样。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>LoopsScreen</name>
    <message>
        <source>command room</source>
        <translation>指挥室</translation>
    </message>
    <message>
        <source>Closed loops</source>
        <translation>闭环</translation>
    </message>
    <message>
        <source>Repeat calls</source>
        <translation>重复报警</translation>
    </message>
    <message>
        <source>Non-police diversion</source>
        <translation>非警务分流</translation>
    </message>
    <message>
        <source>Disputes</source>
        <translation>矛盾纠纷</translation>
    </message>
    <message>
        <source>Warning orders</source>
        <translation>预警指令</translation>
    </message>
    <message>
        <source>All patterns</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>One person, many calls</source>
        <translation>一人多警</translation>
    </message>
    <message>
        <source>One place, many calls</source>
        <translation>一地多警</translation>
    </message>
    <message>
        <source>One event, many calls</source>
        <translation>一事多警</translation>
    </message>
    <message>
        <source>Scan now</source>
        <translation>立即研判</translation>
    </message>
    <message>
        <source>Imported calls older than the repeat window are not checked at import: scan them from this date</source>
        <translation>早于重复报警统计窗口的导入警情在导入时不检查：从此日期起扫描</translation>
    </message>
    <message>
        <source>Scan history</source>
        <translation>扫描历史</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Pattern:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>History from:</source>
        <translation>历史起始：</translation>
    </message>
    <message>
        <source>Pattern</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Person / place / event</source>
        <translation>人 / 地 / 事</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>报警次数</translation>
    </message>
    <message>
        <source>Last call</source>
        <translation>最近报警</translation>
    </message>
    <message>
        <source>Follow-up task</source>
        <translation>回访任务</translation>
    </message>
    <message>
        <source>Scanning the calls of the last days…</source>
        <translation>正在研判近期报警……</translation>
    </message>
    <message>
        <source>Scanning the calls since {date}…</source>
        <translation>正在扫描 {date} 以来的警情…</translation>
    </message>
    <message>
        <source>{groups} groups; {tasks} follow-up tasks issued by this scan</source>
        <translation>共 {groups} 组；本次研判下发回访任务 {tasks} 条</translation>
    </message>
    <message>
        <source>Stopped; the steps scanned so far are kept. {summary}</source>
        <translation>已停止，已扫描的部分保留。{summary}</translation>
    </message>
    <message>
        <source>The scan failed: {error}</source>
        <translation>研判失败：{error}</translation>
    </message>
    <message>
        <source>Calls: {numbers}</source>
        <translation>报警：{numbers}</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未闭环</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>部门：</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>警情</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>承办部门</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Step clock</source>
        <translation>环节计时</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>移交时间</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>办理结果</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>Done…</source>
        <translation>已办结…</translation>
    </message>
    <message>
        <source>Feedback…</source>
        <translation>反馈…</translation>
    </message>
    <message>
        <source>Revisit…</source>
        <translation>回访…</translation>
    </message>
    <message>
        <source>Declined…</source>
        <translation>退回…</translation>
    </message>
    <message>
        <source>Cancel…</source>
        <translation>撤回…</translation>
    </message>
    <message>
        <source>Department report (PDF / XLSX)…</source>
        <translation>部门报表（PDF / XLSX）…</translation>
    </message>
    <message>
        <source>handed over</source>
        <translation>已移交</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>fed back</source>
        <translation>已反馈</translation>
    </message>
    <message>
        <source>revisited, closed</source>
        <translation>已回访闭环</translation>
    </message>
    <message>
        <source>declined</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>Diversion rate, last 30 days: {rate:.1%} of all calls</source>
        <translation>近30天分流率：占全部警情 {rate:.1%}</translation>
    </message>
    <message>
        <source>Revisit</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Was the caller satisfied?</source>
        <translation>报警人是否满意？</translation>
    </message>
    <message>
        <source>What did the department do?</source>
        <translation>部门如何办理？</translation>
    </message>
    <message>
        <source>The department&apos;s feedback:</source>
        <translation>部门反馈：</translation>
    </message>
    <message>
        <source>Why did the department decline?</source>
        <translation>部门退回的原因？</translation>
    </message>
    <message>
        <source>Why is the diversion withdrawn?</source>
        <translation>撤回分流的原因？</translation>
    </message>
    <message>
        <source>Not possible</source>
        <translation>无法操作</translation>
    </message>
    <message>
        <source>Department report</source>
        <translation>部门报表</translation>
    </message>
</context>
<context>
    <name>LoopsSection</name>
    <message>
        <source>Reading the loops…</source>
        <extracomment>The calls were merged into this incident (the pane shows it next).</extracomment>
        <translation>正在读取闭环信息…</translation>
    </message>
    <message>
        <source>The loops could not be read: {error}</source>
        <translation>无法读取闭环信息：{error}</translation>
    </message>
    <message>
        <source>Merge {count} calls of this event into {number}…</source>
        <translation>将此事件的 {count} 个报警合并到 {number}…</translation>
    </message>
    <message>
        <source>Not in any loop: no diversion, dispute, repeat group, task or warning order.</source>
        <translation>不在任何闭环中：无分流、纠纷、重复报警、任务或预警指令。</translation>
    </message>
    <message>
        <source>Diversion: {department}, {state}</source>
        <translation>分流：{department}，{state}</translation>
    </message>
    <message>
        <source>Dispute: {number} {title}, {stage}, risk {risk}</source>
        <translation>纠纷：{number} {title}，{stage}，风险 {risk}</translation>
    </message>
    <message>
        <source>one person</source>
        <translation>一人多警</translation>
    </message>
    <message>
        <source>one place</source>
        <translation>一地多警</translation>
    </message>
    <message>
        <source>one event</source>
        <translation>一事多警</translation>
    </message>
    <message>
        <source>Repeat group ({kind}): {label}, {count} calls</source>
        <translation>重复报警组（{kind}）：{label}，{count} 次报警</translation>
    </message>
    <message>
        <source>Task: {number} {title}, {assignee}, {state}</source>
        <translation>任务：{number} {title}，{assignee}，{state}</translation>
    </message>
    <message>
        <source>Warning order: {number} {kind}, level {level}, {state}</source>
        <translation>预警指令：{number} {kind}，{level}级，{state}</translation>
    </message>
    <message>
        <source>(due {time})</source>
        <translation>（时限 {time}）</translation>
    </message>
    <message>
        <source>Merge calls of one event</source>
        <translation>合并同一事件的报警</translation>
    </message>
    <message>
        <source>{numbers} came in within minutes near {number}, about the same kind of event. Merge them into {number}? They are closed and listed under it.</source>
        <translation>{numbers} 在 {number} 附近数分钟内报警，属同类事件。是否合并到 {number}？合并后这些报警办结并列在其下。</translation>
    </message>
    <message>
        <source>handed over</source>
        <translation>已移交</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>fed back</source>
        <translation>已反馈</translation>
    </message>
    <message>
        <source>revisited, closed</source>
        <translation>已回访闭环</translation>
    </message>
    <message>
        <source>declined</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <source>anti-fraud</source>
        <translation>反诈</translation>
    </message>
    <message>
        <source>missing person</source>
        <translation>失踪人员</translation>
    </message>
    <message>
        <source>wanted person</source>
        <translation>在逃人员</translation>
    </message>
    <message>
        <source>key person</source>
        <translation>重点人员</translation>
    </message>
    <message>
        <source>sensor alarm</source>
        <translation>感知设备告警</translation>
    </message>
    <message>
        <source>received</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>reviewed</source>
        <translation>已研判</translation>
    </message>
    <message>
        <source>verification dispatched</source>
        <translation>已派发核查</translation>
    </message>
    <message>
        <source>verification fed back</source>
        <translation>已核查反馈</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已办结</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>No station</source>
        <extracomment>Set when the person signed out (the application shows the sign-in again).</extracomment>
        <translation>未设置派出所</translation>
    </message>
    <message>
        <source>Station Console</source>
        <translation>派出所综合指挥室工作台</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Lock the console</source>
        <translation>锁定工作台(&amp;L)</translation>
    </message>
    <message>
        <source>Change &amp;password…</source>
        <translation>修改密码(&amp;P)…</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>注销(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Station Console</source>
        <translation>关于本系统(&amp;A)</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Your password was changed.</source>
        <translation>密码已修改。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The new language is used from the next start of the console.</source>
        <translation>新的界面语言将在下次启动时生效。</translation>
    </message>
    <message>
        <source>About Station Console</source>
        <translation>关于派出所综合指挥室工作台</translation>
    </message>
    <message>
        <source>Station Console {version}</source>
        <translation>派出所综合指挥室工作台 {version}</translation>
    </message>
    <message>
        <source>The comprehensive command room workstation of a police station.</source>
        <translation>派出所综合指挥室值班工作台。</translation>
    </message>
    <message>
        <source>demo data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>Database: {path}</source>
        <translation>数据库：{path}</translation>
    </message>
</context>
<context>
    <name>MapScreen</name>
    <message>
        <source>Map</source>
        <extracomment>The period combo&apos;s entry for a range of dates chosen by hand.</extracomment>
        <translation>地图</translation>
    </message>
    <message>
        <source>Last {days} days</source>
        <translation>近 {days} 天</translation>
    </message>
    <message>
        <source>Dates…</source>
        <translation>指定日期…</translation>
    </message>
    <message>
        <source>First day of the period</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>Last day of the period (included)</source>
        <translation>截止日期（含当天）</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source> m</source>
        <translation> 米</translation>
    </message>
    <message>
        <source>Hotspot cell size</source>
        <translation>热点网格边长</translation>
    </message>
    <message>
        <source>All day</source>
        <translation>全天</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>Step the heat through the hours of the day</source>
        <translation>按小时逐步播放一天中热力的变化</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Clear area</source>
        <translation>清除圈选</translation>
    </message>
    <message>
        <source>Show the incidents of the whole jurisdiction again</source>
        <translation>重新显示全辖区警情</translation>
    </message>
    <message>
        <source>Import boundaries…</source>
        <translation>导入边界…</translation>
    </message>
    <message>
        <source>Community or grid outlines from a GeoJSON file; every incident is then given the areas that hold it</source>
        <translation>从 GeoJSON 文件导入社区或网格边界，随后每起警情按所在位置重新归属</translation>
    </message>
    <message>
        <source>Weekdays</source>
        <translation>星期</translation>
    </message>
    <message>
        <source>Heat by hour</source>
        <translation>分时热力</translation>
    </message>
    <message>
        <source>Loading the map…</source>
        <translation>正在加载地图…</translation>
    </message>
    <message>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>警情</translation>
    </message>
    <message>
        <source>z</source>
        <translation>z 值</translation>
    </message>
    <message>
        <source>Leading categories</source>
        <translation>主要类别</translation>
    </message>
    <message>
        <source>Peak hours</source>
        <translation>高发时段</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>环比</translation>
    </message>
    <message>
        <source>Hotspots (significant cells, most incidents first)</source>
        <translation>热点（统计显著的网格，按警情数排序）</translation>
    </message>
    <message>
        <source>Communities</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Police posts</source>
        <translation>警务站</translation>
    </message>
    <message>
        <source>Heat</source>
        <translation>热力图</translation>
    </message>
    <message>
        <source>Hotspots</source>
        <translation>热点</translation>
    </message>
    <message>
        <source>Base map…</source>
        <translation>底图…</translation>
    </message>
    <message>
        <source>Offline map tiles under the jurisdiction (a tile folder or an MBTiles file) and their coordinate system</source>
        <translation>辖区下方显示的离线地图瓦片（瓦片文件夹或 MBTiles 文件）及其坐标系</translation>
    </message>
    <message>
        <source>Patrol coverage</source>
        <translation>巡逻覆盖</translation>
    </message>
    <message>
        <source>Key places: {type}</source>
        <translation>重点场所：{type}</translation>
    </message>
    <message>
        <source>banks</source>
        <translation>银行</translation>
    </message>
    <message>
        <source>schools</source>
        <translation>学校</translation>
    </message>
    <message>
        <source>kindergartens</source>
        <translation>幼儿园</translation>
    </message>
    <message>
        <source>hospitals</source>
        <translation>医院</translation>
    </message>
    <message>
        <source>heritage sites</source>
        <translation>文保单位</translation>
    </message>
    <message>
        <source>markets</source>
        <translation>市场</translation>
    </message>
    <message>
        <source>malls</source>
        <translation>商场</translation>
    </message>
    <message>
        <source>stations</source>
        <translation>车站</translation>
    </message>
    <message>
        <source>hotels</source>
        <translation>旅馆</translation>
    </message>
    <message>
        <source>internet cafés</source>
        <translation>网吧</translation>
    </message>
    <message>
        <source>government offices</source>
        <translation>机关单位</translation>
    </message>
    <message>
        <source>#{rank}: {count} incidents, z = {z}, peak hours {peak}</source>
        <translation>第 {rank} 名：{count} 起警情，z = {z}，高发时段 {peak}</translation>
    </message>
    <message>
        <source>Draw a rectangle: the board shows the incidents inside it</source>
        <translation>画矩形：警情列表只显示框内警情</translation>
    </message>
    <message>
        <source>Draw a polygon: the board shows the incidents inside it</source>
        <translation>画多边形：警情列表只显示圈内警情</translation>
    </message>
    <message>
        <source>Click and drag to draw a rectangle.</source>
        <translation>按住鼠标拖动画矩形。</translation>
    </message>
    <message>
        <source>Release the mouse to finish.</source>
        <translation>松开鼠标完成。</translation>
    </message>
    <message>
        <source>Click to place the first corner.</source>
        <translation>单击放置第一个顶点。</translation>
    </message>
    <message>
        <source>Click to place the next corner.</source>
        <translation>单击放置下一个顶点。</translation>
    </message>
    <message>
        <source>Click the first corner to close the shape.</source>
        <translation>单击第一个顶点闭合图形。</translation>
    </message>
    <message>
        <source>The edges must not cross.</source>
        <translation>边不能交叉。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop drawing</source>
        <translation>停止绘制</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Close the shape</source>
        <translation>闭合图形</translation>
    </message>
    <message>
        <source>Delete last corner</source>
        <translation>删除上一个顶点</translation>
    </message>
    <message>
        <source>Delete the last corner placed</source>
        <translation>删除最后放置的顶点</translation>
    </message>
    <message>
        <source>The map could not be loaded: {error}</source>
        <translation>地图无法加载：{error}</translation>
    </message>
    <message>
        <source>Reading incidents…</source>
        <translation>正在读取警情…</translation>
    </message>
    <message>
        <source>{count} incidents on the map (the board&apos;s filter)</source>
        <translation>地图上共 {count} 起警情（与警情列表筛选一致）</translation>
    </message>
    <message>
        <source>Base map tiles not shown: {error}</source>
        <translation>底图瓦片未显示：{error}</translation>
    </message>
    <message>
        <source>The map page could not be loaded.</source>
        <translation>地图页面无法加载。</translation>
    </message>
    <message>
        <source>the map page did not finish loading in {seconds} s</source>
        <translation>地图页面在 {seconds} 秒内未加载完成</translation>
    </message>
    <message>
        <source>the map page failed to load</source>
        <translation>地图页面加载失败</translation>
    </message>
    <message>
        <source>❚❚ Pause</source>
        <translation>❚❚ 暂停</translation>
    </message>
    <message>
        <source>00:00–24:00</source>
        <translation>00:00–24:00 全天</translation>
    </message>
    <message>
        <source>Importing {name} and re-assigning incidents…</source>
        <translation>正在导入 {name} 并重新归属警情…</translation>
    </message>
    <message>
        <source>Boundaries imported: {added} new, {updated} updated; {changed} incidents changed community or grid.</source>
        <translation>边界已导入：新增 {added} 个，更新 {updated} 个；{changed} 起警情的社区或网格有变化。</translation>
    </message>
    <message>
        <source>Import cancelled: nothing was changed.</source>
        <translation>已取消导入：未做任何修改。</translation>
    </message>
    <message>
        <source>Boundaries not imported, nothing was changed: {error}</source>
        <translation>边界未导入，未做任何修改：{error}</translation>
    </message>
    <message>
        <source>{number} · {category} · {time}
{address}</source>
        <translation>{number} · {category} · {time}
地址：{address}</translation>
    </message>
</context>
<context>
    <name>MultiChoice</name>
    <message>
        <source>all</source>
        <extracomment>Milliseconds of quiet after typing before the search runs.</extracomment>
        <translation>全部</translation>
    </message>
    <message>
        <source>{count} chosen</source>
        <translation>已选 {count} 项</translation>
    </message>
</context>
<context>
    <name>NewWarningDialog</name>
    <message>
        <source>New warning order</source>
        <translation>新建预警指令</translation>
    </message>
    <message>
        <source>upstream number, or empty for a new one</source>
        <translation>上级编号，新建可不填</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可不填</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Linked incident</source>
        <translation>关联警情</translation>
    </message>
</context>
<context>
    <name>PackageLabels</name>
    <message>
        <source>not a change package, or truncated or damaged ({detail})</source>
        <translation>不是变更包，或文件不完整、已损坏（{detail}）</translation>
    </message>
    <message>
        <source>sent by station {station}, which is not a trusted peer; an administrator must register its card first</source>
        <translation>发送方站点 {station} 不是受信任的对端；须由管理员先登记其名片</translation>
    </message>
    <message>
        <source>the signature does not verify: the file was altered or not signed by {peer}&apos;s key</source>
        <translation>签名验证失败：文件被改动，或并非由 {peer} 的密钥签名</translation>
    </message>
    <message>
        <source>this station wrote the package itself</source>
        <translation>该变更包是本站自己生成的</translation>
    </message>
    <message>
        <source>addressed to station {recipient}, not to this one</source>
        <translation>该变更包发往站点 {recipient}，不是本站</translation>
    </message>
    <message>
        <source>already applied (package {sequence} from {peer}; the last applied is {last}); nothing changed</source>
        <translation>已应用过（来自 {peer} 的第 {sequence} 号包；最近应用的是第 {last} 号），未做任何改动</translation>
    </message>
    <message>
        <source>package {sequence} from {peer} comes before {expected}; apply the packages from {expected} on first</source>
        <translation>来自 {peer} 的第 {sequence} 号包早于应到的第 {expected} 号；请先应用第 {expected} 号起的包</translation>
    </message>
    <message>
        <source>the manifest is not valid ({detail})</source>
        <translation>清单无效（{detail}）</translation>
    </message>
    <message>
        <source>written in package format {version}; this program reads format {supported}. Install the newer program</source>
        <translation>该包格式为第 {version} 版，本程序只能读取第 {supported} 版。请安装新版程序</translation>
    </message>
    <message>
        <source>the files in the package do not match its manifest ({detail})</source>
        <translation>包内文件与清单不符（{detail}）</translation>
    </message>
    <message>
        <source>{member} does not match its SHA-256 in the manifest</source>
        <translation>{member} 与清单中的 SHA-256 不符</translation>
    </message>
    <message>
        <source>{member} holds {found} rows, the manifest says {expected}</source>
        <translation>{member} 有 {found} 行，清单记载 {expected} 行</translation>
    </message>
    <message>
        <source>{member} line {line}: {detail}</source>
        <translation>{member} 第 {line} 行：{detail}</translation>
    </message>
    <message>
        <source>{member} line {line}: category {code} is not known here; add it to the category table first</source>
        <translation>{member} 第 {line} 行：本站没有类别 {code}；请先在类别代码表中添加</translation>
    </message>
    <message>
        <source>it is encrypted for this station and this station&apos;s key is not in its data folder; restore the key file there</source>
        <translation>该包是为本站加密的，但本站数据目录中没有本站密钥；请将密钥文件恢复到该目录</translation>
    </message>
    <message>
        <source>it cannot be decrypted ({detail}); ask {peer} to send it again</source>
        <translation>无法解密（{detail}）；请让 {peer} 重新发送</translation>
    </message>
</context>
<context>
    <name>PatrolPanel</name>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Hotspots and tracks of this many days up to now</source>
        <translation>统计截至当前这么多天内的热点和轨迹</translation>
    </message>
    <message>
        <source> min/day</source>
        <translation> 分钟/天</translation>
    </message>
    <message>
        <source>A hotspot with less patrol presence per tracked day in its peak hours is a coverage gap</source>
        <translation>热点高发时段内日均巡逻时长低于此值即为覆盖不足（按有轨迹的天数计）</translation>
    </message>
    <message>
        <source>Show coverage on the map</source>
        <translation>在地图上显示巡逻覆盖</translation>
    </message>
    <message>
        <source>Hotspot</source>
        <translation>热点</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>警情</translation>
    </message>
    <message>
        <source>Peak hours</source>
        <translation>高发时段</translation>
    </message>
    <message>
        <source>Patrol min/day</source>
        <translation>日均巡逻(分钟)</translation>
    </message>
    <message>
        <source>Leading categories</source>
        <translation>主要类别</translation>
    </message>
    <message>
        <source>Coordinate system of the track file: WGS-84 from GPS devices, GCJ-02 from Gaode or Tencent maps, BD-09 from Baidu maps</source>
        <translation>轨迹文件的坐标系：GPS 设备为 WGS-84，高德、腾讯地图为 GCJ-02，百度地图为 BD-09</translation>
    </message>
    <message>
        <source>Import tracks…</source>
        <translation>导入轨迹…</translation>
    </message>
    <message>
        <source>Patrol GPS tracks from a CSV (unit, time, lat, lon) or GPX file</source>
        <translation>从 CSV（巡逻组、时间、纬度、经度）或 GPX 文件导入巡逻 GPS 轨迹</translation>
    </message>
    <message>
        <source>Export patrol plan…</source>
        <translation>导出巡逻计划…</translation>
    </message>
    <message>
        <source>The hotspots as must-visit points with their peak hours, per police post, as XLSX or PDF</source>
        <translation>将热点按警务站列为必到点及高发时段，导出为 XLSX 或 PDF</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Gap below</source>
        <translation>覆盖不足线</translation>
    </message>
    <message>
        <source>Coverage gaps (hotspots with little patrol in their peak hours)</source>
        <translation>覆盖不足（高发时段内巡逻很少的热点）</translation>
    </message>
    <message>
        <source>Coverage could not be computed: {error}</source>
        <translation>无法计算巡逻覆盖：{error}</translation>
    </message>
    <message>
        <source>{hotspots} hotspots, {gaps} with too little patrol; {points} track points of {units} units on {days} days</source>
        <translation>热点 {hotspots} 个，其中覆盖不足 {gaps} 个；{units} 个巡逻单元在 {days} 天内共 {points} 个轨迹点</translation>
    </message>
    <message>
        <source>Hotspot #{rank}: {minutes} min of patrol per day in its peak hours {peak}</source>
        <translation>热点 #{rank}：高发时段 {peak} 日均巡逻 {minutes} 分钟</translation>
    </message>
    <message>
        <source>Import patrol tracks</source>
        <translation>导入巡逻轨迹</translation>
    </message>
    <message>
        <source>GPS tracks (*.csv *.gpx);;All files (*)</source>
        <translation>GPS 轨迹 (*.csv *.gpx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Importing {name}…</source>
        <translation>正在导入 {name}…</translation>
    </message>
    <message>
        <source>{name}: {read} points read, {new} new, {old} already stored.</source>
        <translation>{name}：读取 {read} 个点，新增 {new} 个，已有 {old} 个。</translation>
    </message>
    <message>
        <source>{name} was refused, nothing was imported ({count} problems):
{problems}</source>
        <translation>{name} 被拒绝，未导入任何数据（{count} 处问题）：
{problems}</translation>
    </message>
    <message>
        <source>Tracks not imported: {error}</source>
        <translation>轨迹未导入：{error}</translation>
    </message>
    <message>
        <source>Export patrol plan</source>
        <translation>导出巡逻计划</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;PDF (*.pdf)</source>
        <translation>Excel 工作簿 (*.xlsx);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Patrol plan with {count} must-visit points written to {path}.</source>
        <translation>巡逻计划（{count} 个必到点）已写入 {path}。</translation>
    </message>
    <message>
        <source>The patrol plan was not written: {error}</source>
        <translation>巡逻计划未写入：{error}</translation>
    </message>
</context>
<context>
    <name>PolicyTab</name>
    <message>
        <source>Passwords, sign-in and sessions</source>
        <translation>密码、登录与会话</translation>
    </message>
    <message>
        <source>At least {minimum}</source>
        <translation>不少于 {minimum}</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Audit retention</source>
        <translation>审计记录保存</translation>
    </message>
    <message>
        <source>Audit records are kept at least as many days as set above. Older records can be archived to a file and then removed; the chain stays verifiable.</source>
        <translation>审计记录至少保存上面设定的天数。更早的记录可先归档到文件再清理，哈希链仍可校验。</translation>
    </message>
    <message>
        <source>Archive and purge…</source>
        <translation>归档并清理…</translation>
    </message>
    <message>
        <source>The policy was not saved</source>
        <translation>安全策略未保存</translation>
    </message>
    <message>
        <source>The security policy is saved.</source>
        <translation>安全策略已保存。</translation>
    </message>
    <message>
        <source>Archiving and purging audit records…</source>
        <translation>正在归档并清理审计记录…</translation>
    </message>
    <message>
        <source>{count} audit records before {date} were archived to {file} and removed.</source>
        <translation>{date} 之前的 {count} 条审计记录已归档到 {file} 并清理。</translation>
    </message>
    <message>
        <source>Nothing was purged: {error}</source>
        <translation>未清理任何记录：{error}</translation>
    </message>
    <message>
        <source>Archive and purge</source>
        <translation>归档并清理</translation>
    </message>
</context>
<context>
    <name>PurgeDialog</name>
    <message>
        <source>Archive and purge audit records</source>
        <extracomment>Highest values the spin boxes offer (the minimums come from the domain).</extracomment>
        <translation>归档并清理审计记录</translation>
    </message>
    <message>
        <source>Records older than the chosen date are first written to the archive file (CSV with their hashes), then removed. Records of the last {days} days are always kept.</source>
        <translation>早于所选日期的记录先写入归档文件（含哈希的 CSV），然后清理。最近 {days} 天的记录始终保留。</translation>
    </message>
    <message>
        <source>Purge records before:</source>
        <translation>清理此日期之前的记录：</translation>
    </message>
    <message>
        <source>choose the archive file first</source>
        <translation>请先选择归档文件</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Archive file:</source>
        <translation>归档文件：</translation>
    </message>
    <message>
        <source>Archive and purge</source>
        <translation>归档并清理</translation>
    </message>
    <message>
        <source>Archive file</source>
        <translation>归档文件</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>Give a reason.</source>
        <translation>请填写原因。</translation>
    </message>
</context>
<context>
    <name>ReassignDialog</name>
    <message>
        <source>Reassign task</source>
        <translation>改派任务</translation>
    </message>
    <message>
        <source>Why is the task reassigned?</source>
        <translation>为什么改派该任务？</translation>
    </message>
    <message>
        <source>New officer</source>
        <translation>新责任民警</translation>
    </message>
    <message>
        <source>Choose the officer who takes the task over.</source>
        <translation>请选择接手任务的民警。</translation>
    </message>
</context>
<context>
    <name>RegisterDisputeDialog</name>
    <message>
        <source>Register a dispute</source>
        <translation>登记矛盾纠纷</translation>
    </message>
    <message>
        <source>Who and what, e.g. Zhang and Li, noise</source>
        <translation>谁与谁、什么事，例如：张某与李某邻里噪音纠纷</translation>
    </message>
    <message>
        <source>From the first linked incident</source>
        <translation>取自第一起关联警情</translation>
    </message>
    <message>
        <source>Incident numbers, separated by spaces or commas</source>
        <translation>警情编号，用空格或逗号分隔</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>类别：</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message>
        <source>Risk level:</source>
        <translation>风险等级：</translation>
    </message>
    <message>
        <source>Community:</source>
        <translation>社区：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>情况描述：</translation>
    </message>
    <message>
        <source>Linked incidents:</source>
        <translation>关联警情：</translation>
    </message>
    <message>
        <source>Parties (personal data: name required; phone and ID number checked)</source>
        <translation>当事人（个人信息：姓名必填，电话和身份证号会校验）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Add a party</source>
        <translation>添加当事人</translation>
    </message>
</context>
<context>
    <name>ResolveDialog</name>
    <message>
        <source>(choose the outcome)</source>
        <translation>（请选择处置结果）</translation>
    </message>
    <message>
        <source>Optional note for the timeline</source>
        <translation>可填写备注，记入处置经过</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处置结果</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>RevealDialog</name>
    <message>
        <source>Reveal caller — {number}</source>
        <translation>查看报警人信息 — {number}</translation>
    </message>
    <message>
        <source>Personal data is shown masked. Reveal a field only when the case needs it: every reveal is recorded with your name in the audit trail.</source>
        <translation>个人信息默认脱敏显示。仅在办案需要时查看：每次查看都会以您的名义记入审计日志。</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>报警人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Reveal</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Your role may not reveal personal data.</source>
        <translation>您的角色无权查看个人信息。</translation>
    </message>
</context>
<context>
    <name>SecretDialog</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Save token to file…</source>
        <translation>保存令牌到文件…</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Save token</source>
        <translation>保存令牌</translation>
    </message>
    <message>
        <source>Token files (*.token);;All files (*)</source>
        <translation>令牌文件 (*.token);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>已保存到 {path}。</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>Duty operator</source>
        <translation>值班员</translation>
    </message>
    <message>
        <source>Duty leader / chief</source>
        <translation>值班领导 / 所长</translation>
    </message>
    <message>
        <source>Community officer</source>
        <translation>社区民警</translation>
    </message>
    <message>
        <source>System administrator</source>
        <translation>系统管理员</translation>
    </message>
    <message>
        <source>Security officer</source>
        <translation>安全保密管理员</translation>
    </message>
    <message>
        <source>Auditor</source>
        <translation>安全审计员</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>at least {n} characters</source>
        <translation>至少 {n} 个字符</translation>
    </message>
    <message>
        <source>at least {k} of: lower case, upper case, digits, symbols</source>
        <translation>包含小写字母、大写字母、数字、符号中的至少 {k} 类</translation>
    </message>
    <message>
        <source>must not contain the user name</source>
        <translation>不得包含用户名</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>The password needs {needs}.</source>
        <translation>密码须{needs}。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>This account is disabled. Ask the system administrator.</source>
        <translation>该账号已停用，请联系系统管理员。</translation>
    </message>
    <message>
        <source>This account is locked after repeated failures until {until}. Try again then, or ask the system administrator to unlock it.</source>
        <translation>该账号因多次登录失败已锁定至 {until}。请届时再试，或请系统管理员解锁。</translation>
    </message>
    <message>
        <source>Wrong password. The account is now locked for {minutes} minutes.</source>
        <translation>密码错误。账号已锁定 {minutes} 分钟。</translation>
    </message>
    <message>
        <source>The account no longer exists or is disabled.</source>
        <translation>该账号已不存在或已停用。</translation>
    </message>
    <message>
        <source>Wrong password.</source>
        <translation>密码错误。</translation>
    </message>
    <message>
        <source>The current password is wrong.</source>
        <translation>当前密码错误。</translation>
    </message>
    <message>
        <source>The new password must differ from the last {history}.</source>
        <translation>新密码不得与最近 {history} 次使用的密码相同。</translation>
    </message>
    <message>
        <source>A user name is letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos; only.</source>
        <translation>用户名只能由字母、数字、“.”、“_”或“-”组成。</translation>
    </message>
    <message>
        <source>There is already an account &apos;{username}&apos;.</source>
        <translation>已存在账号“{username}”。</translation>
    </message>
    <message>
        <source>There is no account {account}.</source>
        <translation>不存在账号 {account}。</translation>
    </message>
    <message>
        <source>Nobody may change their own role.</source>
        <translation>任何人不得更改自己的角色。</translation>
    </message>
    <message>
        <source>You cannot disable your own account.</source>
        <translation>不能停用自己的账号。</translation>
    </message>
    <message>
        <source>{setting} must be at least {minimum}.</source>
        <translation>{setting} 不得小于 {minimum}。</translation>
    </message>
    <message>
        <source>Cannot read the token file {path}: it holds one line, &apos;user name:token&apos;, as the administrator saved it.</source>
        <translation>无法读取令牌文件 {path}：文件应为一行“用户名:令牌”，即管理员保存时的内容。</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Station Console — sign in</source>
        <translation>综合指挥室工作台 — 登录</translation>
    </message>
    <message>
        <source>Station Console</source>
        <translation>综合指挥室工作台</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Demo database: every demo account&apos;s password is {password}. Double-click an account to fill it in.</source>
        <translation>演示数据库：所有演示账号的密码均为 {password}。双击账号即可填入。</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>SyncLabels</name>
    <message>
        <source>cannot read the file ({detail}); check that it is a complete {format} file</source>
        <translation>无法读取文件（{detail}）；请确认它是完整的 {format} 文件</translation>
    </message>
    <message>
        <source>the text is not valid {encoding} here; save the file as UTF-8 or set encoding in the profile&apos;s [options]</source>
        <translation>此处文本不是有效的 {encoding} 编码；请将文件另存为 UTF-8，或在映射方案的 [options] 中设置 encoding</translation>
    </message>
    <message>
        <source>the file is not well-formed CSV ({detail}); is it truncated or is a quote unbalanced?</source>
        <translation>文件不是格式正确的 CSV（{detail}）；文件是否被截断，或引号不成对？</translation>
    </message>
    <message>
        <source>the JSON is broken ({detail}); is the file truncated?</source>
        <translation>JSON 格式损坏（{detail}）；文件是否被截断？</translation>
    </message>
    <message>
        <source>each record must be a JSON object, found {value}</source>
        <translation>每条记录必须是 JSON 对象，实际为 {value}</translation>
    </message>
    <message>
        <source>the file holds no data rows</source>
        <translation>文件中没有数据行</translation>
    </message>
    <message>
        <source>column {column} (mapped to {target}) is not in the file; it has: {available}. Fix [columns] in the profile</source>
        <translation>文件中没有列 {column}（对应字段 {target}）；文件中的列为：{available}。请修改映射方案的 [columns]</translation>
    </message>
    <message>
        <source>the row has {found} columns, the header has {expected}; is the row cut short or a delimiter unquoted?</source>
        <translation>该行有 {found} 列，表头有 {expected} 列；该行是否被截断，或分隔符未加引号？</translation>
    </message>
    <message>
        <source>a value is required</source>
        <translation>此项不能为空</translation>
    </message>
    <message>
        <source>{detail}; write dates like 2024-03-05 08:07 or set datetime_formats</source>
        <translation>{detail}；请写成 2024-03-05 08:07 这样的时间，或设置 datetime_formats</translation>
    </message>
    <message>
        <source>not a number: {detail}</source>
        <translation>不是数字：{detail}</translation>
    </message>
    <message>
        <source>unknown priority {value}; use 1, 2 or 3, or the grade words of the README</source>
        <translation>未知警情级别 {value}；请使用 1、2、3 或 一级、二级、三级</translation>
    </message>
    <message>
        <source>{value} is out of range ({detail})</source>
        <translation>{value} 超出范围（{detail}）</translation>
    </message>
    <message>
        <source>unknown category {value}; map it in the profile&apos;s [categories] to a station category code or name</source>
        <translation>未知警情类别 {value}；请在映射方案的 [categories] 中将其对应到本所类别代码或名称</translation>
    </message>
    <message>
        <source>unknown status {value}; map it in [statuses] to new, dispatched, arrived, resolved or closed</source>
        <translation>未知状态 {value}；请在 [statuses] 中对应到 new、dispatched、arrived、resolved 或 closed</translation>
    </message>
    <message>
        <source>unknown source {value}; map it in [sources] to 110, phone, walk_in, patrol, warning or 12345</source>
        <translation>未知来源 {value}；请在 [sources] 中对应到 110、phone、walk_in、patrol、warning 或 12345</translation>
    </message>
    <message>
        <source>the text is {found} characters; at most {limit} fit</source>
        <translation>文本有 {found} 个字符，最多 {limit} 个</translation>
    </message>
    <message>
        <source>incident number {value} appears more than once in this file</source>
        <translation>警情编号 {value} 在本文件中出现多次</translation>
    </message>
    <message>
        <source>{file}, row {line}</source>
        <translation>{file}，第 {line} 行</translation>
    </message>
    <message>
        <source>{file}, line {line}</source>
        <translation>{file}，第 {line} 行</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>rejected, nothing changed</source>
        <translation>已拒绝，数据未改动</translation>
    </message>
    <message>
        <source>checked, nothing changed</source>
        <translation>已检查，数据未改动</translation>
    </message>
</context>
<context>
    <name>SyncScreen</name>
    <message>
        <source>Feed import</source>
        <translation>数据导入</translation>
    </message>
    <message>
        <source>Import a feed file…</source>
        <translation>导入数据文件…</translation>
    </message>
    <message>
        <source>CSV, TSV, XLSX, JSON or NDJSON exported by upstream systems, in UTF-8 or GBK. A mapping profile says which column is which; a file with problems is rejected whole and the database is left unchanged.</source>
        <translation>上级系统导出的 CSV、TSV、XLSX、JSON 或 NDJSON 文件，UTF-8 或 GBK 编码。映射方案说明各列含义；有问题的文件整体拒绝，数据库保持不变。</translation>
    </message>
    <message>
        <source>Drop folder</source>
        <translation>监听目录</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Watch the folder</source>
        <translation>监听该目录</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>目录</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>映射方案</translation>
    </message>
    <message>
        <source>Files are imported once they have finished arriving, then moved to processed/ or failed/ with a report beside them.</source>
        <translation>文件传输完成后自动导入，然后连同报告移到 processed/ 或 failed/ 目录。</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Back up now…</source>
        <translation>立即备份…</translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <source>Daily automatic backup into this folder (the newest 7 are kept)</source>
        <translation>每天自动备份到此目录（保留最新 7 份）</translation>
    </message>
    <message>
        <source>Data exchange</source>
        <translation>数据交换</translation>
    </message>
    <message>
        <source>Change packages with other stations</source>
        <translation>与其他站点交换变更包</translation>
    </message>
    <message>
        <source>Export package…</source>
        <translation>导出变更包…</translation>
    </message>
    <message>
        <source>Apply package…</source>
        <translation>应用变更包…</translation>
    </message>
    <message>
        <source>Keys and peers…</source>
        <translation>密钥与对端…</translation>
    </message>
    <message>
        <source>Mask personal data</source>
        <translation>个人信息脱敏</translation>
    </message>
    <message>
        <source>Callers&apos; names, phone and ID numbers are masked in the package, for a peer without clearance.</source>
        <translation>包内报警人姓名、电话和身份证号脱敏，供无权查看个人信息的对端使用。</translation>
    </message>
    <message>
        <source>Encrypt for the peer</source>
        <translation>为对方加密</translation>
    </message>
    <message>
        <source>Only the peer&apos;s station can read the package (its card must carry an encryption key).</source>
        <translation>只有对方站点能读取该包（对方的名片须带有加密密钥）。</translation>
    </message>
    <message>
        <source>Mark reviewed</source>
        <translation>标记为已查看</translation>
    </message>
    <message>
        <source>Peer</source>
        <translation>对端</translation>
    </message>
    <message>
        <source>this station</source>
        <translation>本站</translation>
    </message>
    <message>
        <source>Conflicts to review: {count} (the newer version was kept; the other is listed here)</source>
        <translation>待查看的冲突：{count} 条（已保留较新的版本，另一版本列在此处）</translation>
    </message>
    <message>
        <source>No conflicts to review.</source>
        <translation>没有待查看的冲突。</translation>
    </message>
    <message>
        <source>a deletion</source>
        <translation>一次删除</translation>
    </message>
    <message>
        <source>status {status}, {description}</source>
        <translation>状态 {status}，{description}</translation>
    </message>
    <message>
        <source>{number}: kept the version of {kept} ({kept_at}); not kept: {lost} from {lost_origin} ({lost_at})</source>
        <translation>{number}：保留了 {kept} 的版本（{kept_at}）；未保留：来自 {lost_origin} 的{lost}（{lost_at}）</translation>
    </message>
    <message>
        <source>No trusted peer yet: register one under Keys and peers.</source>
        <translation>尚无受信任的对端：请在“密钥与对端”中登记。</translation>
    </message>
    <message>
        <source>Export package to</source>
        <translation>变更包导出到</translation>
    </message>
    <message>
        <source>Writing the package for {peer}…</source>
        <translation>正在生成发往 {peer} 的变更包…</translation>
    </message>
    <message>
        <source>Apply package</source>
        <translation>应用变更包</translation>
    </message>
    <message>
        <source>Change package (*{sealed} *.zip)</source>
        <translation>变更包 (*{sealed} *.zip)</translation>
    </message>
    <message>
        <source>Applying {name}…</source>
        <translation>正在应用 {name}…</translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed or written.</source>
        <translation>已取消，未做任何改动，也未写出文件。</translation>
    </message>
    <message>
        <source>Refused, nothing applied: {reason}</source>
        <translation>已拒收，未应用任何内容：{reason}</translation>
    </message>
    <message>
        <source>Choose the drop folder</source>
        <translation>选择监听目录</translation>
    </message>
    <message>
        <source>Cannot watch the folder: {error}</source>
        <translation>无法监听该目录：{error}</translation>
    </message>
    <message>
        <source>{time} {name}: {outcome}; inserted {inserted}, updated {updated}, unchanged {unchanged}, rejected {rejected} → {folder}</source>
        <translation>{time} {name}：{outcome}；新增 {inserted}，更新 {updated}，未变 {unchanged}，拒绝 {rejected} → {folder}</translation>
    </message>
    <message>
        <source>{time} {name}: not imported ({error}) → {folder}</source>
        <translation>{time} {name}：未导入（{error}）→ {folder}</translation>
    </message>
    <message>
        <source>{time} drop folder problem: {error}</source>
        <translation>{time} 监听目录出错：{error}</translation>
    </message>
    <message>
        <source>Backup written, verified and encrypted (key {key_id}): {path} ({incidents} incidents).</source>
        <translation>备份已写入、校验并加密（密钥 {key_id}）：{path}（{incidents} 起警情）。</translation>
    </message>
    <message>
        <source>Encrypted backup (*.enc)</source>
        <translation>加密备份 (*.enc)</translation>
    </message>
    <message>
        <source>Backup (*.enc *.db *.bak)</source>
        <translation>备份 (*.enc *.db *.bak)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Backup cancelled; no file was written.</source>
        <translation>备份已取消，未写入文件。</translation>
    </message>
    <message>
        <source>Failed: {error}</source>
        <translation>失败：{error}</translation>
    </message>
    <message>
        <source>Change package (*{suffix})</source>
        <translation>变更包 (*{suffix})</translation>
    </message>
    <message>
        <source>Package {sequence} for {peer} written: {rows} changed incidents, {deleted} deletions, {events} events → {path}</source>
        <translation>已写出发给 {peer} 的第 {sequence} 号变更包：变更警情 {rows} 条，删除 {deleted} 条，事件记录 {events} 条 → {path}</translation>
    </message>
    <message>
        <source>{name}: package {sequence} from {peer} applied: {rows} rows, inserted {inserted}, updated {updated}, deleted {deleted}, unchanged {unchanged}, conflicts {conflicts}, new events {events}</source>
        <translation>{name}：来自 {peer} 的第 {sequence} 号变更包已应用：{rows} 条，新增 {inserted}，更新 {updated}，删除 {deleted}，未变 {unchanged}，冲突 {conflicts}，新事件记录 {events}</translation>
    </message>
    <message>
        <source>Backing up to {name}…</source>
        <translation>正在备份到 {name}…</translation>
    </message>
    <message>
        <source>Back up to</source>
        <translation>备份到</translation>
    </message>
    <message>
        <source>Automatic backup…</source>
        <translation>自动备份…</translation>
    </message>
    <message>
        <source>Restore from</source>
        <translation>从以下文件恢复</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Replace everything in the database with {name}? A copy of the current database is kept beside it first.</source>
        <translation>用 {name} 替换数据库中的全部内容？替换前会先在旁边保留当前数据库的副本。</translation>
    </message>
    <message>
        <source>Restored {name}; the previous database was kept as {kept}.</source>
        <translation>已从 {name} 恢复；原数据库保留为 {kept}。</translation>
    </message>
    <message>
        <source>Restoring {name}…</source>
        <translation>正在从 {name} 恢复…</translation>
    </message>
</context>
<context>
    <name>TaskExchange</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Import task orders</source>
        <translation>导入任务指令</translation>
    </message>
    <message>
        <source>Task orders (*.csv *.xlsx)</source>
        <translation>任务指令 (*.csv *.xlsx)</translation>
    </message>
    <message>
        <source>Importing task orders…</source>
        <translation>正在导入任务指令…</translation>
    </message>
    <message>
        <source>Task orders not imported</source>
        <translation>任务指令未导入</translation>
    </message>
    <message>
        <source>Task orders imported</source>
        <translation>任务指令已导入</translation>
    </message>
    <message>
        <source>{file}: {added} task(s) added, {skipped} already imported.</source>
        <translation>{file}：新增 {added} 条任务，{skipped} 条此前已导入。</translation>
    </message>
    <message>
        <source>Export feedback</source>
        <translation>导出反馈</translation>
    </message>
    <message>
        <source>Excel (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel 表格 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Exporting feedback…</source>
        <translation>正在导出反馈…</translation>
    </message>
    <message>
        <source>Feedback not exported</source>
        <translation>反馈未导出</translation>
    </message>
    <message>
        <source>Feedback exported</source>
        <translation>反馈已导出</translation>
    </message>
    <message>
        <source>{count} task(s) written to {path}.</source>
        <translation>已将 {count} 条任务写入 {path}。</translation>
    </message>
</context>
<context>
    <name>TaskLabels</name>
    <message>
        <source>Awaiting sign-off</source>
        <translation>待签收</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>已签收</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Feedback filed</source>
        <translation>已反馈</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>已审核</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>sign-off</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>下发</translation>
    </message>
    <message>
        <source>Reassigned</source>
        <translation>改派</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Not possible while the task is “{state}”.</source>
        <translation>任务处于“{state}”状态，不能这样操作。</translation>
    </message>
    <message>
        <source>Give a reason.</source>
        <translation>请填写原因。</translation>
    </message>
    <message>
        <source>The task is already with this officer.</source>
        <translation>任务已在该民警名下。</translation>
    </message>
    <message>
        <source>Choose an active officer.</source>
        <translation>请选择在岗民警。</translation>
    </message>
    <message>
        <source>The feedback form has problems; check the marked fields.</source>
        <translation>反馈表有问题，请检查标出的项。</translation>
    </message>
    <message>
        <source>The task no longer exists.</source>
        <translation>该任务已不存在。</translation>
    </message>
    <message>
        <source>Choose a task template.</source>
        <translation>请选择标准件。</translation>
    </message>
    <message>
        <source>Give the task a title.</source>
        <translation>请填写任务标题。</translation>
    </message>
    <message>
        <source>This task is assigned to another officer; only that officer signs for it and feeds it back.</source>
        <translation>该任务派给了其他民警，只能由该民警签收和反馈。</translation>
    </message>
</context>
<context>
    <name>TaskPdf</name>
    <message>
        <source>Produced by {who} at {when}</source>
        <translation>制作人 {who}，生成于 {when}</translation>
    </message>
</context>
<context>
    <name>TasksScreen</name>
    <message>
        <source>Command room</source>
        <extracomment>Due-window filter choices (minutes; 0 = overdue only, None = any). Emitted with the task number after every change made here.</extracomment>
        <translation>综合指挥室</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>民警</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>标准件</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>时限</translation>
    </message>
    <message>
        <source>Issue task…</source>
        <translation>下发任务…</translation>
    </message>
    <message>
        <source>Import task orders…</source>
        <translation>导入任务指令…</translation>
    </message>
    <message>
        <source>Export feedback…</source>
        <translation>导出反馈…</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>任务标题</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>下发时间</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>关联警情</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>Feedback…</source>
        <translation>反馈…</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <source>Return…</source>
        <translation>退回…</translation>
    </message>
    <message>
        <source>Reassign…</source>
        <translation>改派…</translation>
    </message>
    <message>
        <source>Cancel task…</source>
        <translation>撤销任务…</translation>
    </message>
    <message>
        <source>PDF summary…</source>
        <translation>PDF 摘要…</translation>
    </message>
    <message>
        <source>Notifications (double-click to open the task)</source>
        <translation>提醒（双击打开任务）</translation>
    </message>
    <message>
        <source>All officers</source>
        <translation>全部民警</translation>
    </message>
    <message>
        <source>All templates</source>
        <translation>全部标准件</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未办结</translation>
    </message>
    <message>
        <source>Templates…</source>
        <translation>标准件…</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>All communities</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>Within 30 min</source>
        <translation>30 分钟内到期</translation>
    </message>
    <message>
        <source>Within 1 h</source>
        <translation>1 小时内到期</translation>
    </message>
    <message>
        <source>Within 3 h</source>
        <translation>3 小时内到期</translation>
    </message>
    <message>
        <source>Within 24 h</source>
        <translation>24 小时内到期</translation>
    </message>
    <message>
        <source>Queue of {name}</source>
        <translation>{name} 的任务队列</translation>
    </message>
    <message>
        <source>All open tasks by officer</source>
        <translation>全部未办结任务（按民警）</translation>
    </message>
    <message>
        <source>{name} — {count} task(s), {late} overdue</source>
        <translation>{name} — {count} 条任务，{late} 条超时</translation>
    </message>
    <message>
        <source>{kind} due {due}</source>
        <translation>{kind}时限 {due}</translation>
    </message>
    <message>
        <source>{time} OVERDUE: {kind} of {no} was due {due}</source>
        <translation>{time} 已超时：{no} 的{kind}时限为 {due}</translation>
    </message>
    <message>
        <source>{time} About to expire: {kind} of {no} due {due}</source>
        <translation>{time} 即将到期：{no} 的{kind}时限为 {due}</translation>
    </message>
    <message>
        <source>Tasks: {open} open · {soon} about to expire · {late} overdue</source>
        <translation>任务：未办结 {open} · 即将到期 {soon} · 超时 {late}</translation>
    </message>
    <message>
        <source>Lead department</source>
        <translation>牵头部门</translation>
    </message>
    <message>
        <source>Sign-off due</source>
        <translation>签收时限</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>签收时间</translation>
    </message>
    <message>
        <source>Feedback due</source>
        <translation>反馈时限</translation>
    </message>
    <message>
        <source>Feedback filed</source>
        <translation>反馈时间</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>审核时间</translation>
    </message>
    <message>
        <source>Instructions</source>
        <translation>任务要求</translation>
    </message>
    <message>
        <source>Basis</source>
        <translation>任务依据</translation>
    </message>
    <message>
        <source>Measures</source>
        <translation>任务措施</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>工作标准</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈内容</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>任务日志</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Not done</source>
        <translation>未执行</translation>
    </message>
    <message>
        <source>Return feedback</source>
        <translation>退回反馈</translation>
    </message>
    <message>
        <source>What must the officer add or correct? The feedback clock restarts.</source>
        <translation>民警需要补充或更正什么？反馈时限将重新计算。</translation>
    </message>
    <message>
        <source>Cancel task</source>
        <translation>撤销任务</translation>
    </message>
    <message>
        <source>Why is the task withdrawn?</source>
        <translation>为什么撤销该任务？</translation>
    </message>
    <message>
        <source>PDF summary</source>
        <translation>PDF 摘要</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <source>Pick one</source>
        <translation>单选</translation>
    </message>
    <message>
        <source>Pick many</source>
        <translation>多选</translation>
    </message>
    <message>
        <source>Yes / no</source>
        <translation>是/否</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>日期时间</translation>
    </message>
    <message>
        <source>Short text</source>
        <translation>短文本</translation>
    </message>
    <message>
        <source>Long text</source>
        <translation>长文本</translation>
    </message>
    <message>
        <source>Give the template a name.</source>
        <translation>请填写标准件名称。</translation>
    </message>
    <message>
        <source>The name is too long (at most 60 characters).</source>
        <translation>名称过长（最多 60 个字）。</translation>
    </message>
    <message>
        <source>Enter a whole number of 1 or more.</source>
        <translation>请输入不小于 1 的整数。</translation>
    </message>
    <message>
        <source>The feedback form needs at least one field.</source>
        <translation>反馈表至少需要一项。</translation>
    </message>
    <message>
        <source>The field is damaged; remove it and add it again.</source>
        <translation>该项已损坏，请删除后重新添加。</translation>
    </message>
    <message>
        <source>Give the field a label.</source>
        <translation>请填写该项的名称。</translation>
    </message>
    <message>
        <source>The field&apos;s key is used twice; remove one.</source>
        <translation>该项的标识重复，请删除其中一项。</translation>
    </message>
    <message>
        <source>Choose the field&apos;s type.</source>
        <translation>请选择该项的类型。</translation>
    </message>
    <message>
        <source>A pick field needs at least two options, one a line.</source>
        <translation>选择题至少需要两个选项，每行一个。</translation>
    </message>
    <message>
        <source>Remove the blank option lines.</source>
        <translation>请删除空白的选项行。</translation>
    </message>
    <message>
        <source>Each option must be different.</source>
        <translation>选项不能重复。</translation>
    </message>
    <message>
        <source>Only pick fields have options.</source>
        <translation>只有选择题才有选项。</translation>
    </message>
    <message>
        <source>Tick or untick “Required”.</source>
        <translation>请勾选或取消“必填”。</translation>
    </message>
    <message>
        <source>Minimum and maximum must be numbers.</source>
        <translation>最小值和最大值必须是数字。</translation>
    </message>
    <message>
        <source>The minimum is above the maximum.</source>
        <translation>最小值大于最大值。</translation>
    </message>
</context>
<context>
    <name>TemplateEditorDialog</name>
    <message>
        <source>Task templates</source>
        <translation>标准件管理</translation>
    </message>
    <message>
        <source>New template</source>
        <extracomment>The code of the template shown (None: a new one not saved yet). Set when at least one template was saved or deleted (the caller refreshes its lists).</extracomment>
        <translation>新建标准件</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Active (offered when issuing tasks)</source>
        <translation>启用（下发任务时可选）</translation>
    </message>
    <message>
        <source>Feedback within (hours)</source>
        <translation>反馈时限（小时）</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Lead department</source>
        <translation>牵头部门</translation>
    </message>
    <message>
        <source>Basis</source>
        <translation>任务依据</translation>
    </message>
    <message>
        <source>Measures</source>
        <translation>任务措施</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>工作标准</translation>
    </message>
    <message>
        <source>Sign-off within</source>
        <translation>签收时限</translation>
    </message>
    <message>
        <source>Feedback form</source>
        <translation>反馈表（答题卡）</translation>
    </message>
    <message>
        <source>Add field</source>
        <translation>添加项</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>One option a line</source>
        <translation>每行一个选项</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>Number range</source>
        <translation>数值范围</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>(inactive)</source>
        <translation>（已停用）</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>The changes to this template are not saved. Discard them?</source>
        <translation>该标准件的修改尚未保存，是否放弃？</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>(new: the code is given when saved)</source>
        <translation>（新建：保存时自动编号）</translation>
    </message>
    <message>
        <source>New field</source>
        <translation>新的一项</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Saved {code} {name}.</source>
        <translation>已保存 {code} {name}。</translation>
    </message>
    <message>
        <source>Not saved: {count} problem(s) to correct.</source>
        <translation>未保存：有 {count} 处需要更正。</translation>
    </message>
    <message>
        <source>{count} task(s) were issued from this template, so it cannot be deleted. Deactivate it instead? It is then no longer offered when issuing tasks.</source>
        <translation>已有 {count} 条任务使用该标准件，不能删除。改为停用吗？停用后下发任务时不再提供该标准件。</translation>
    </message>
    <message>
        <source>Delete the template {code}? No task uses it.</source>
        <translation>删除标准件 {code}？没有任务使用它。</translation>
    </message>
    <message>
        <source>Delete template</source>
        <translation>删除标准件</translation>
    </message>
</context>
<context>
    <name>TilesDialog</name>
    <message>
        <source>Base map tiles</source>
        <translation>底图瓦片</translation>
    </message>
    <message>
        <source>None: the jurisdiction on a plain background</source>
        <translation>无：辖区显示在纯色背景上</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <source>A folder of XYZ tiles: {z}/{x}/{y}.png, .jpg or .webp</source>
        <translation>XYZ 瓦片文件夹：{z}/{x}/{y}.png、.jpg 或 .webp</translation>
    </message>
    <message>
        <source>MBTiles file…</source>
        <translation>MBTiles 文件…</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>GCJ-02 (most Chinese tile sets)</source>
        <translation>GCJ-02（国内多数瓦片）</translation>
    </message>
    <message>
        <source>WGS-84 (GPS; government CGCS2000 sets)</source>
        <translation>WGS-84（GPS；政务 CGCS2000 瓦片）</translation>
    </message>
    <message>
        <source>Tiles</source>
        <translation>瓦片</translation>
    </message>
    <message>
        <source>Coordinate system</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>Tile folder</source>
        <translation>瓦片文件夹</translation>
    </message>
    <message>
        <source>MBTiles file</source>
        <translation>MBTiles 文件</translation>
    </message>
    <message>
        <source>MBTiles (*.mbtiles);;All files (*)</source>
        <translation>MBTiles 文件 (*.mbtiles);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Not used: {error}</source>
        <translation>未采用：{error}</translation>
    </message>
</context>
<context>
    <name>UnitBoard</name>
    <message>
        <source>Unit</source>
        <translation>警组</translation>
    </message>
    <message>
        <source>Call sign</source>
        <translation>呼号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>On incident</source>
        <translation>正在处置</translation>
    </message>
    <message>
        <source>Duty changed</source>
        <translation>上下岗记录</translation>
    </message>
    <message>
        <source>On duty</source>
        <translation>上岗</translation>
    </message>
    <message>
        <source>Off duty</source>
        <translation>下岗</translation>
    </message>
</context>
<context>
    <name>UnitsDialog</name>
    <message>
        <source>Unit status board</source>
        <translation>警力状态板</translation>
    </message>
</context>
<context>
    <name>WarningsTab</name>
    <message>
        <source>command room</source>
        <extracomment>Order numbers of warnings that have just run out of time.</extracomment>
        <translation>指挥室</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>全部等级</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未办结</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Level:</source>
        <translation>等级：</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>计时</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <source>Second review…</source>
        <translation>二次研判…</translation>
    </message>
    <message>
        <source>Dispatch verification…</source>
        <translation>派发核查…</translation>
    </message>
    <message>
        <source>Verification feedback…</source>
        <translation>核查反馈…</translation>
    </message>
    <message>
        <source>Close…</source>
        <translation>办结…</translation>
    </message>
    <message>
        <source>Dismiss as false alarm…</source>
        <translation>作为误报撤销…</translation>
    </message>
    <message>
        <source>New warning…</source>
        <translation>新建预警…</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <source>anti-fraud</source>
        <translation>反诈</translation>
    </message>
    <message>
        <source>missing person</source>
        <translation>失踪人员</translation>
    </message>
    <message>
        <source>wanted person</source>
        <translation>在逃人员</translation>
    </message>
    <message>
        <source>key person</source>
        <translation>重点人员</translation>
    </message>
    <message>
        <source>sensor alarm</source>
        <translation>感知设备告警</translation>
    </message>
    <message>
        <source>level {n}</source>
        <translation>{n} 级</translation>
    </message>
    <message>
        <source>received</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>reviewed</source>
        <translation>已研判</translation>
    </message>
    <message>
        <source>verification dispatched</source>
        <translation>已派发核查</translation>
    </message>
    <message>
        <source>verification fed back</source>
        <translation>已核查反馈</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>Answered on time, last 7 days: {rate:.0%} of {answered}</source>
        <translation>近 7 天按时反馈率：{rate:.0%}（共 {answered} 条）</translation>
    </message>
    <message>
        <source>Overdue now: {n}</source>
        <translation>当前超时：{n}</translation>
    </message>
    <message>
        <source>Overdue: warning {numbers} has passed its time limit; act now.</source>
        <translation>超时：预警 {numbers} 已超过时限，请立即处理。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Linked incident</source>
        <translation>关联警情</translation>
    </message>
    <message>
        <source>Respond by</source>
        <translation>响应时限</translation>
    </message>
    <message>
        <source>Answer by</source>
        <translation>反馈时限</translation>
    </message>
    <message>
        <source>Verifying officer</source>
        <translation>核查民警</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>研判</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>Late at a step</source>
        <translation>环节超时</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <source>second review</source>
        <translation>二次研判</translation>
    </message>
    <message>
        <source>verification feedback</source>
        <translation>核查反馈</translation>
    </message>
    <message>
        <source>dismissed</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>Officer who verifies:</source>
        <translation>核查民警：</translation>
    </message>
    <message>
        <source>What did the second review find?</source>
        <translation>二次研判的结论是什么？</translation>
    </message>
    <message>
        <source>Instructions for the verification (optional):</source>
        <translation>核查要求（可不填）：</translation>
    </message>
    <message>
        <source>Result of the verification:</source>
        <translation>核查结果：</translation>
    </message>
    <message>
        <source>Note on the answer sent upstream (optional):</source>
        <translation>上报答复的说明（可不填）：</translation>
    </message>
    <message>
        <source>Why is it a false alarm?</source>
        <translation>为什么是误报？</translation>
    </message>
    <message>
        <source>Not possible</source>
        <translation>无法操作</translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>Import warning orders</source>
        <translation>导入预警指令</translation>
    </message>
    <message>
        <source>Warning orders (*.csv *.xlsx)</source>
        <translation>预警指令 (*.csv *.xlsx)</translation>
    </message>
    <message>
        <source>Importing {name}…</source>
        <translation>正在导入 {name}…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Warning orders imported</source>
        <translation>预警指令已导入</translation>
    </message>
    <message>
        <source>{file}: {added} warning(s) added, {skipped} already there.</source>
        <translation>{file}：新增 {added} 条预警，{skipped} 条已存在。</translation>
    </message>
    <message>
        <source>Warning orders not imported</source>
        <translation>预警指令未导入</translation>
    </message>
</context>
</TS>
